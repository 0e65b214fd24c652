import { int, port } from '@vigil/config';

/** Settings of the challenge service; every limit has the default of CONTRACT §5. */
export const serviceSpec = {
  CHALLENGE_PORT: port({ default: 8082 }),
  CHALLENGE_TTL_SECONDS: int({ default: 60, min: 1, max: 600 }),
  NUMBER_MATCH_DIGITS: int({ default: 2, min: 2, max: 6 }),
  PUSH_LIMIT_PER_MINUTE: int({ default: 3, min: 1, max: 10_000 }),
  PUSH_LIMIT_PER_HOUR: int({ default: 10, min: 1, max: 100_000 }),
  IP_LIMIT_PER_MINUTE: int({ default: 300, min: 1, max: 1_000_000 }),
  COOLDOWN_AFTER_MISSES: int({ default: 3, min: 1, max: 100 }),
  COOLDOWN_BASE_SECONDS: int({ default: 300, min: 1, max: 86_400 }),
  COOLDOWN_MAX_SECONDS: int({ default: 3_600, min: 1, max: 86_400 }),
  FRAUD_SUSPENSION_SECONDS: int({ default: 86_400, min: 60, max: 30 * 86_400 }),
  // CONTRACT §2: how long a restarted instance holds a request while it applies what was published before it joined.
  CATCH_UP_WAIT_MS: int({ default: 2_000, min: 0, max: 2_000 }),
  CHALLENGE_RETENTION_SECONDS: int({ default: 3_600, min: 60, max: 30 * 86_400 }),
  EXPIRY_SWEEP_INTERVAL_MS: int({ default: 200, min: 20, max: 10_000 }),
};
