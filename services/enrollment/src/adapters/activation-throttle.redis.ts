import type { Redis } from 'ioredis';
import type { ActivationThrottle } from '../domain/ports.ts';

// INCR and the window's expiry in one step, so a crash between them cannot leave a counter that never expires.
const COUNT_FAILURE = "local n = redis.call('INCR', KEYS[1]); if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end; return n";

/** Failed activations per source address, counted in a fixed window that starts at the first failure. */
export function redisActivationThrottle(redis: Redis, options: { limit: number; windowSeconds: number }): ActivationThrottle {
  const key = (ip: string) => `enrollment:activation-failures:${ip}`;
  return {
    async blockedForMs(ip) {
      const [[, count], [, ttl]] = (await redis.multi().get(key(ip)).pttl(key(ip)).exec()) as [[null, string | null], [null, number]];
      return Number(count ?? 0) >= options.limit ? Math.max(1, ttl) : null;
    },
    async recordFailure(ip) {
      await redis.eval(COUNT_FAILURE, 1, key(ip), String(options.windowSeconds));
    },
  };
}
