import type { Redis } from 'ioredis';
import type { Logger } from '@vigil/logger';
import { OUTBOX_LUA, type Outbox } from '@vigil/runtime';
import type { DispatchLedger } from '../domain/ports.ts';

// The outcome replaces the claim (keeping its expiry) and enters the outbox in the same step.
const FINISH = `${OUTBOX_LUA}
redis.call('SET', KEYS[1], ARGV[1], 'KEEPTTL')
return outbox_append(KEYS[2], 2)`;

/** One key per challenge: `sending` while claimed, then the outcome's event type (ADR 0012). */
export function redisDispatchLedger(redis: Redis, outbox: Outbox, log: Logger): DispatchLedger {
  const key = (challengeId: string) => `notification:dispatched:${challengeId}`;
  return {
    async claim(challengeId, ttlMs) {
      return (await redis.set(key(challengeId), 'sending', 'PX', Math.max(ttlMs, 1_000), 'NX')) === 'OK';
    },
    async finish(challengeId, outcome) {
      const batch = outbox.prepare(outcome);
      const ids = (await redis.eval(FINISH, 2, key(challengeId), outbox.stream, outcome.type, ...outbox.args(batch))) as string[];
      // Announced now if Kafka takes it; the outbox relay announces it otherwise. A dispatch never fails over this.
      await outbox.deliver(batch, ids).catch((error: unknown) => log.warn({ err: error, challengeId }, 'push outcome left to the outbox relay'));
    },
  };
}
