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
   * Kafka (a crash, Kafka down) is found and published again. Returns the mark, for `settled`.
   */
  changing(user: UserRef): Promise<Date>;
  /** The snapshot after the change identified by `mark` is published (a later mark stays). */
  settled(user: UserRef, mark: Date): Promise<void>;
  /** Users whose change started before `before` and is not settled. */
  unsettled(before: Date, limit: number): Promise<UserRef[]>;
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
