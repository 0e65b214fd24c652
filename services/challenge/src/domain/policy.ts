import type { EventData } from '@vigil/events';
import { cooldownSchedule } from './cooldown-policy.ts';

/**
 * A tenant's push policy (CONTRACT §5a), the type of its one schema (libs/events): every number is a limit the
 * challenge service applies to the next create. `pushesSinceSuccess`: pushed challenges since the user's last approval
 * or valid TOTP, past which challenges are quiet; `quietPerHour`: quiet challenges per user and hour, past which 429.
 */
export type Policy = EventData<'vigil.policy.updated'>['policy'];

export interface Conformance {
  nist80063b4: boolean;
  findings: string[];
}

export type PolicyPatch = Partial<Omit<Policy, 'cooldown'>> & { cooldown?: Partial<Policy['cooldown']> };

/** NIST SP 800-63B-4 §3.2.2: at most 100 consecutive failed attempts on one account. */
const MAX_CONSECUTIVE_FAILURES = 100;
/** §3.1.3.1: "at least six decimal digits"; §3.1.3: invalid unless completed within 10 minutes. */
const MIN_DIGITS = 6;
const MAX_LIFETIME_SECONDS = 600;

/**
 * Whether the policy meets NIST SP 800-63B-4 §3.1.3 for push, each unmet clause in plain words. Two clauses hold by
 * construction and are not settings: the secret is transferred from the login page to the phone (number matching is
 * always on), and a new challenge never resets the failure count (the miss streak ends only on success).
 */
export function conformance(policy: Policy): Conformance {
  const findings: string[] = [];
  if (policy.numberMatchDigits < MIN_DIGITS) {
    findings.push(`The number to match has ${policy.numberMatchDigits} digits; NIST SP 800-63B-4 §3.1.3.1 requires at least ${MIN_DIGITS} decimal digits.`);
  }
  if (policy.challengeTtlSeconds > MAX_LIFETIME_SECONDS) {
    findings.push(`A challenge lives ${policy.challengeTtlSeconds} s; §3.1.3 requires the authentication to complete within ${MAX_LIFETIME_SECONDS / 60} minutes.`);
  }
  if (policy.pushesSinceSuccess > MAX_CONSECUTIVE_FAILURES) {
    findings.push(`Up to ${policy.pushesSinceSuccess} pushes are sent since the last successful authentication; §3.1.3.2 asks for a reasonable limit, and §3.2.2 allows no more than ${MAX_CONSECUTIVE_FAILURES} failed attempts in a row.`);
  }
  if (policy.cooldown.afterMisses > MAX_CONSECUTIVE_FAILURES) {
    findings.push(`Missed pushes slow down only after ${policy.cooldown.afterMisses} in a row; §3.2.2 allows no more than ${MAX_CONSECUTIVE_FAILURES} consecutive failed attempts.`);
  }
  return { nist80063b4: findings.length === 0, findings };
}

/** A partial change applied to the current policy (a field left out keeps its value). */
export function applyPatch(current: Policy, patch: PolicyPatch): Policy {
  const defined = <T extends object>(value: T) => Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
  const { cooldown, ...rest } = patch;
  return { ...current, ...defined(rest), cooldown: { ...current.cooldown, ...defined(cooldown ?? {}) } };
}

/** Why a policy cannot be applied (fields that contradict each other), or null. */
export function policyProblem(policy: Policy): string | null {
  if (policy.cooldown.initialSeconds > policy.cooldown.maxSeconds) return 'cooldown.initialSeconds must not exceed cooldown.maxSeconds';
  if (policy.pushesPerMinute > policy.pushesPerHour) return 'pushesPerMinute must not exceed pushesPerHour';
  return null;
}

/** The cool-down for 1, 2, … consecutive misses under this policy (what the stores apply with each miss). */
export function policyCooldownSchedule(policy: Policy): number[] {
  return cooldownSchedule({ missesBeforeCooldown: policy.cooldown.afterMisses, baseMs: policy.cooldown.initialSeconds * 1000, maxMs: policy.cooldown.maxSeconds * 1000 });
}
