import type { EventSink } from '@vigil/events';

import type { SecretBox } from '@vigil/crypto';
import type {
  ActivationCodeRepository,
  ActivationThrottle,
  DeviceRepository,
  FactorPublisher,
  ProofStore,
  SuspensionStore,
  TotpRepository,
  UserRef,
} from '../domain/ports.ts';

export interface FactorVersions {
  next(user: UserRef): Promise<number>;
  /**
   * Marks the user's factors as changing before the change is made, so that a change whose snapshot never reached
   * Kafka (a crash, Kafka down) is found and published again. Each change has its own mark: one change settling
   * never clears another's. Returns the mark, for `settled`.
   */
  changing(user: UserRef): Promise<string>;
  /** The snapshot after the changes identified by `marks` is published. */
  settled(user: UserRef, ...marks: string[]): Promise<void>;
  /** Users with a change marked before `before` and not settled, with those marks. */
  unsettled(before: Date, limit: number): Promise<{ user: UserRef; marks: string[] }[]>;
}

export interface EnrollmentSettings {
  enrollmentBaseUrl: string;
  activationCodeTtlMs: number;
  proofMaxAgeMs: number;
  totpEnrollmentTtlMs: number;
  totpIssuer: string;
}

/** Everything the enrollment use cases touch, as ports: adapters (Mongo, Redis, Kafka) implement them in main.ts. */
export interface EnrollmentDeps {
  devices: DeviceRepository;
  codes: ActivationCodeRepository;
  totp: TotpRepository;
  proofs: ProofStore;
  throttle: ActivationThrottle;
  suspensions: SuspensionStore;
  factors: FactorPublisher;
  factorVersions: FactorVersions;
  events: EventSink;
  secretBox: SecretBox;
  serverKey: { publicKey: string; keyId: string };
  settings: EnrollmentSettings;
  now: () => Date;
  newId: () => string;
}
