import type { Redis } from 'ioredis';
import type { UserRiskStore } from '../domain/ports.ts';
import { keys } from './keys.ts';

/** What the anomaly service decides about a user (suspension, restore) and what a success resets (miss streak, cool-down). */
export function redisUserRisk(redis: Redis): UserRiskStore {
  return {
    async resetMisses(user) {
      await redis.del(keys.misses(user), keys.cooldown(user), keys.sinceSuccess(user));
    },
    async suspend(user, until) {
      const ms = until.getTime() - Date.now();
      if (ms > 0) await redis.set(keys.suspended(user), until.toISOString(), 'PX', ms);
    },
    async restore(user) {
      await redis.del(keys.suspended(user), keys.cooldown(user), keys.misses(user));
    },
  };
}
