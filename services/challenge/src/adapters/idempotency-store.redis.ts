import type { Redis } from 'ioredis';
import type { IdempotencyStore } from '../domain/ports.ts';
import { keys } from './keys.ts';

/** Idempotency-Key → the challenge it made (CONTRACT §5), for as long as that challenge can be pending. */
export function redisIdempotency(redis: Redis): IdempotencyStore {
  return {
    async reserve(user, key, challengeId, ttlMs) {
      const redisKey = keys.idempotency(user, key);
      if ((await redis.set(redisKey, challengeId, 'PX', ttlMs, 'NX')) === 'OK') return null;
      return redis.get(redisKey);
    },
    async release(user, key) {
      await redis.del(keys.idempotency(user, key));
    },
  };
}
