import type { SecretBox } from '@vigil/crypto';
import type { EventSink } from '@vigil/events';
import type {
  ActivationCodeRepository,
  ActivationThrottle,
  DeviceRepository,
  FactorPublisher,
  FactorVersions,
  ProofStore,
  SuspensionStore,
  TotpRepository,
} from '../domain/ports.ts';

export interface EnrollmentSettings {
  enrollmentBaseUrl: string;
  activationCodeTtlMs: number;
  proofMaxAgeMs: number;
  totpEnrollmentTtlMs: number;
  totpIssuer: string;
}

/** Everything the enrollment use cases touch, as ports: adapters (Mongo, Redis, Kafka) implement them in assemble.ts. */
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
