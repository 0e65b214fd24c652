import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { AlertDedup } from '../domain/ports.ts';

const dedupKeyOf = (dedupKey: string) => `anomaly:alert:${dedupKey}`;

/**
 * Alert deduplication in Redis: SET NX on the key decides, across instances, which detection opens the alert; the
 * key expires with the dedup period, after which a detection opens a new alert.
 */
export function redisAlertDedup(redis: Redis): AlertDedup {
  return {
    async claim({ dedupKey, ttlMs }) {
      const key = dedupKeyOf(dedupKey);
      const fresh = randomUUID();
      if ((await redis.set(key, fresh, 'PX', ttlMs, 'NX')) === 'OK') return { alertId: fresh, first: true };
      // The key may expire between SET and GET: the fresh id then names an alert nobody stored yet, which the caller
      // opens.
      return { alertId: (await redis.get(key)) ?? fresh, first: false };
    },
  };
}
