import type { Redis } from 'ioredis';
import { OUTBOX_LUA, type Outbox } from '@vigil/runtime';
import { lockoutSchedule, type LockoutPolicy } from '../domain/lockout-policy.ts';
import type { TotpGuard } from '../domain/ports.ts';
import { keys } from './keys.ts';
import { redisScript } from './redis-script.ts';

/**
 * TOTP attempts, lockouts and accepted steps (CONTRACT §6), each change one script: claim-attempt.lua counts the
 * attempt and starts a lockout in one step; accept-step.lua records the step, ends the streak and writes `verified`
 * to the outbox in one step.
 */
export function redisTotpGuard(redis: Redis, policy: LockoutPolicy, outbox: Outbox): TotpGuard {
  const acceptStep = redisScript(redis, 'accept-step', 7, OUTBOX_LUA);
  const claimAttempt = redisScript(redis, 'claim-attempt', 3);
  const schedule = lockoutSchedule(policy);
  return {
    async claimAttempt(user) {
      const [kind, value, started] = (await claimAttempt(keys.totpLock(user), keys.totpFailures(user), keys.totpLockouts(user), policy.failures, schedule.join(','))) as ['locked' | 'attempt', number, number?];
      if (kind === 'locked') return { kind, retryAfterMs: value };
      return { kind, n: value, lockoutMs: started ? started : null };
    },
    async acceptStep(user, step, ttlSeconds, announce) {
      const batch = outbox.prepare(announce);
      const result = (await acceptStep(keys.totpLastStep(user), keys.totpFailures(user), keys.totpLockouts(user), outbox.stream, keys.totpVerified(user), keys.totpLock(user),
        keys.totpUnanswered(user), step, ttlSeconds, ...outbox.args(batch))) as ['accepted', string[]] | ['undelivered', string[][]] | null;
      if (result === null) return null;
      if (result[0] === 'accepted') {
        try {
          await outbox.deliver(batch, result[1]);
        } catch (error) {
          // This request answers 503: its repeat may converge on the same acceptance (accept-step.lua).
          await redis.set(keys.totpUnanswered(user), String(step), 'EX', ttlSeconds).catch(() => undefined);
          throw error;
        }
        return { verificationId: (announce.data as { verificationId: string }).verificationId };
      }
      // The same code again while its first acceptance is still unannounced: announce it, answer as the first time.
      await outbox.deliverEntries(result[1]);
      const first = JSON.parse(result[1][0]?.[3] ?? '{}') as { data?: { verificationId?: string } };
      return { verificationId: first.data?.verificationId ?? '' };
    },
  };
}
