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
