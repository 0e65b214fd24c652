import type { Redis } from 'ioredis';
import type { ReplayGuard } from './device-signature-auth.ts';

/** One atomic SET NX per accepted signature, in the service's own key space. */
export function redisReplayGuard(redis: Redis, namespace: string): ReplayGuard {
  return {
    async remember(signature, ttlSeconds) {
      return (await redis.set(`${namespace}:replay:${signature}`, '1', 'EX', ttlSeconds, 'NX')) === 'OK';
    },
  };
}
