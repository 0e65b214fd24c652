import { int, port, str } from '@vigil/config';
import { FACTOR_READER_GROUPS } from '@vigil/events';

/** Settings of the enrollment service, with CONTRACT §4 defaults. */
export const serviceSpec = {
  ENROLLMENT_PORT: port({ default: 8081 }),
  // Put into activation URIs; defaults to this process's own address.
  ENROLLMENT_PUBLIC_URL: str({ default: 'auto' }),
  VIGIL_SERVER_SIGNING_KEY: str({ secret: true, pattern: /^[A-Za-z0-9_-]{43}$/ }),
  VIGIL_SECRET_KEYS: str({ secret: true }),
  ACTIVATION_CODE_TTL_SECONDS: int({ default: 600, min: 30, max: 86_400 }),
  ACTIVATION_FAILURES_PER_IP: int({ default: 5, min: 1, max: 1_000 }),
  ACTIVATION_FAILURE_WINDOW_SECONDS: int({ default: 600, min: 1, max: 86_400 }),
  REPLACEMENT_PROOF_MAX_AGE_SECONDS: int({ default: 300, min: 1, max: 3_600 }),
  TOTP_ENROLLMENT_TTL_SECONDS: int({ default: 600, min: 60, max: 86_400 }),
  TOTP_ISSUER: str({ default: 'Vigil' }),
  // CONTRACT §2 read-your-writes: the consumer groups that act on vigil.factors.v1. A factor change answers once each
  // of them that has members has applied it, or 503 after the timeout ('none': answer once Kafka has it).
  READ_YOUR_WRITES_GROUPS: str({ default: FACTOR_READER_GROUPS.join(',') }),
  READ_YOUR_WRITES_TIMEOUT_MS: int({ default: 2_000, min: 100, max: 30_000 }),
  // A change whose snapshot did not reach Kafka (a crash, Kafka down) is published again after this long.
  FACTORS_REPAIR_AFTER_MS: int({ default: 3_000, min: 500, max: 600_000 }),
};
