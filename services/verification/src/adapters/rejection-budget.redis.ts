import type { Redis } from 'ioredis';
import { Counter, type Registry } from 'prom-client';
import type { RejectionBudget } from '../domain/ports.ts';

/**
 * A fixed one-minute window per device in Redis (shared by every instance). Past the budget a rejection still answers
 * 401/404/409/410 as before; only its event is dropped, and counted here, so that a device (or whoever holds its id)
 * sending garbage cannot flood the topic and the anomaly windows. The budget stays above what the alert rules need
 * (response_flood: 5 in 10 minutes).
 */
export function redisRejectionBudget(redis: Redis, options: { perMinute: number; metrics: Registry }): RejectionBudget {
  const dropped = new Counter({
    name: 'vigil_rejection_events_dropped_total',
    help: 'vigil.response.rejected events not published because the device exceeded its budget per minute',
    labelNames: ['reason'] as const,
    registers: [options.metrics],
  });
  return {
    async allow(deviceId, reason) {
      const key = `verification:rejections:{${deviceId}}:${Math.floor(Date.now() / 60_000)}`;
      const [[, count]] = (await redis.multi().incr(key).expire(key, 120).exec()) as [[null, number], unknown];
      if (count <= options.perMinute) return true;
      dropped.inc({ reason });
      return false;
    },
  };
}
