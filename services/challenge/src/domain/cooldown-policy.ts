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

/**
 * The cool-down for 1, 2, … consecutive misses, up to the first count that reaches the cap (every later count gets
 * the last value): the form in which the store applies the rule in the same atomic step that records a miss.
 */
export function cooldownSchedule(policy: CooldownPolicy): number[] {
  const schedule: number[] = [];
  for (let misses = 1; misses <= 200; misses += 1) {
    const ms = cooldownMs(misses, policy);
    schedule.push(ms);
    if (ms >= policy.maxMs) break;
  }
  return schedule;
}
