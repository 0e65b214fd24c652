import { int, matching, port, secret, str } from '@vigil/config';

/** Settings of the verification service, with the defaults of CONTRACT §3 and §6. */
export const serviceSpec = {
  VERIFICATION_PORT: port({ default: 8083 }),
  VIGIL_SERVER_SIGNING_KEY: secret(matching(/^[A-Za-z0-9_-]{43}$/)()),
  VIGIL_SECRET_KEYS: secret(str()),
  // CONTRACT §6 (v2): concurrent long polls per device (all instances) and per instance; past them, 429.
  LONG_POLLS_PER_DEVICE: int({ min: 1, max: 100 })({ default: 4 }),
  LONG_POLL_MAX: int({ min: 1, max: 1_000_000 })({ default: 10_000 }),
  // vigil.response.rejected events one device may cause per minute; the rest are dropped (and counted).
  REJECTION_EVENTS_PER_DEVICE_MINUTE: int({ min: 5, max: 10_000 })({ default: 20 }),
  PROJECTION_WAIT_MS: int({ min: 0, max: 10_000 })({ default: 2_000 }),
  TOTP_LOCKOUT_FAILURES: int({ min: 1, max: 100 })({ default: 5 }),
  TOTP_LOCKOUT_BASE_SECONDS: int({ min: 1, max: 86_400 })({ default: 300 }),
  TOTP_LOCKOUT_MAX_SECONDS: int({ min: 1, max: 30 * 86_400 })({ default: 86_400 }),
  // CONTRACT §2: how long a restarted instance holds a request while it applies what was published before it joined.
  CATCH_UP_WAIT_MS: int({ min: 0, max: 2_000 })({ default: 2_000 }),
  CHALLENGE_RETENTION_SECONDS: int({ min: 60, max: 30 * 86_400 })({ default: 3_600 }),
};
