export interface LockoutPolicy {
  /** Consecutive failures that lock TOTP (CONTRACT §6: 5). */
  failures: number;
  baseMs: number;
  maxMs: number;
}

/** 5 min for the first lockout, doubling with each further one (NIST SP 800-63B §5.2.2 rate limiting). */
export function lockoutMs(previousLockouts: number, policy: LockoutPolicy): number {
  return Math.min(policy.baseMs * 2 ** Math.min(previousLockouts, 20), policy.maxMs);
}

/**
 * The length of the 1st, 2nd, … lockout, up to the first that repeats: the lockout script takes the list and repeats
 * its last value, so the rule lives here and the script only counts.
 */
export function lockoutSchedule(policy: LockoutPolicy): number[] {
  const schedule: number[] = [];
  for (let previous = 0; previous < 64; previous += 1) {
    schedule.push(lockoutMs(previous, policy));
    if (previous > 0 && schedule[previous] === schedule[previous - 1]) break;
  }
  return schedule;
}
