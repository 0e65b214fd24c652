import { int, port, type ConfigOf } from '@vigil/config';
import type { Policy } from './domain/policy.ts';

/**
 * Settings of the challenge service; every limit has the default of CONTRACT §5. The policy settings (lifetime through
 * cool-down) are what a tenant gets until it changes its own policy (CONTRACT §5a).
 */
export const serviceSpec = {
  CHALLENGE_PORT: port({ default: 8082 }),
  // Tests go below the policy's 10 s minimum to watch challenges expire; a tenant's PUT cannot.
  CHALLENGE_TTL_SECONDS: int({ min: 1, max: 600 })({ default: 60 }),
  NUMBER_MATCH_DIGITS: int({ min: 2, max: 8 })({ default: 6 }),
  PUSH_LIMIT_PER_MINUTE: int({ min: 1, max: 100_000 })({ default: 3 }),
  PUSH_LIMIT_PER_HOUR: int({ min: 1, max: 1_000_000 })({ default: 10 }),
  PUSHES_SINCE_SUCCESS: int({ min: 1, max: 1_000_000 })({ default: 10 }),
  QUIET_PER_HOUR: int({ min: 1, max: 1_000_000 })({ default: 60 }),
  IP_LIMIT_PER_MINUTE: int({ min: 1, max: 1_000_000 })({ default: 300 }),
  COOLDOWN_AFTER_MISSES: int({ min: 1, max: 100 })({ default: 3 }),
  COOLDOWN_BASE_SECONDS: int({ min: 1, max: 86_400 })({ default: 300 }),
  COOLDOWN_MAX_SECONDS: int({ min: 1, max: 86_400 })({ default: 3_600 }),
  FRAUD_SUSPENSION_SECONDS: int({ min: 60, max: 30 * 86_400 })({ default: 86_400 }),
  // CONTRACT §2: how long a restarted instance holds a request while it applies what was published before it joined.
  CATCH_UP_WAIT_MS: int({ min: 0, max: 2_000 })({ default: 2_000 }),
  CHALLENGE_RETENTION_SECONDS: int({ min: 60, max: 30 * 86_400 })({ default: 3_600 }),
  EXPIRY_SWEEP_INTERVAL_MS: int({ min: 20, max: 10_000 })({ default: 200 }),
};

/** The policy of a tenant that never changed its own: the environment's settings. */
export function defaultPolicy(config: ConfigOf<typeof serviceSpec>): Policy {
  return {
    numberMatchDigits: config.NUMBER_MATCH_DIGITS,
    challengeTtlSeconds: config.CHALLENGE_TTL_SECONDS,
    pushesPerMinute: config.PUSH_LIMIT_PER_MINUTE,
    pushesPerHour: config.PUSH_LIMIT_PER_HOUR,
    pushesSinceSuccess: config.PUSHES_SINCE_SUCCESS,
    quietPerHour: config.QUIET_PER_HOUR,
    cooldown: { afterMisses: config.COOLDOWN_AFTER_MISSES, initialSeconds: config.COOLDOWN_BASE_SECONDS, maxSeconds: config.COOLDOWN_MAX_SECONDS },
  };
}
