export interface CooldownPolicy {
  /** Consecutive misses that start a cool-down (CONTRACT §5: 3). */
  missesBeforeCooldown: number;
  baseMs: number;
  maxMs: number;
}

/**
 * Cool-down after `misses` consecutive missed pushes: none below the threshold, then the base (5 min) doubling with
 * each further miss up to the cap (60 min). Repeated unanswered pushes are the signature of push bombing; slowing
 * them down costs a real user little and an attacker the volume the attack depends on.
 */
export function cooldownMs(misses: number, policy: CooldownPolicy): number {
  if (misses < policy.missesBeforeCooldown) return 0;
  const doublings = misses - policy.missesBeforeCooldown;
  return Math.min(policy.baseMs * 2 ** Math.min(doublings, 30), policy.maxMs);
}
