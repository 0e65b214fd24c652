import { commaList, int, makeExactValidator, matching, port, secret, str, url } from '@vigil/config';
import { FACTOR_READER_GROUPS } from '@vigil/events';

/** Comma-separated consumer groups; `none` waits for none (an empty variable is unset: the default groups). */
const consumerGroups = makeExactValidator<string[]>((raw) => (raw.trim() === 'none' ? [] : commaList(raw)));

/** Settings of the enrollment service, with CONTRACT §4 defaults. */
export const serviceSpec = {
  ENROLLMENT_PORT: port({ default: 8081 }),
  // Put into activation URIs; unset: this process's own address (http://127.0.0.1:ENROLLMENT_PORT).
  ENROLLMENT_PUBLIC_URL: url({ default: undefined }),
  VIGIL_SERVER_SIGNING_KEY: secret(matching(/^[A-Za-z0-9_-]{43}$/)()),
  VIGIL_SECRET_KEYS: secret(str()),
  ACTIVATION_CODE_TTL_SECONDS: int({ min: 30, max: 86_400 })({ default: 600 }),
  ACTIVATION_FAILURES_PER_IP: int({ min: 1, max: 1_000 })({ default: 5 }),
  ACTIVATION_FAILURE_WINDOW_SECONDS: int({ min: 1, max: 86_400 })({ default: 600 }),
  REPLACEMENT_PROOF_MAX_AGE_SECONDS: int({ min: 1, max: 3_600 })({ default: 300 }),
  TOTP_ENROLLMENT_TTL_SECONDS: int({ min: 60, max: 86_400 })({ default: 600 }),
  TOTP_ISSUER: str({ default: 'Vigil' }),
  // CONTRACT §2 read-your-writes: the consumer groups that act on vigil.factors.v1. A factor change answers once each
  // of them that has members has applied it, or 503 after the timeout ('none': answer once Kafka has it).
  READ_YOUR_WRITES_GROUPS: consumerGroups({ default: [...FACTOR_READER_GROUPS] }),
  READ_YOUR_WRITES_TIMEOUT_MS: int({ min: 100, max: 30_000 })({ default: 2_000 }),
  // A change whose snapshot did not reach Kafka (a crash, Kafka down) is published again after this long.
  FACTORS_REPAIR_AFTER_MS: int({ min: 500, max: 600_000 })({ default: 3_000 }),
};
