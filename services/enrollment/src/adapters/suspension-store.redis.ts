import type { Redis } from 'ioredis';
import type { UserRef } from '@vigil/events';
import type { SuspensionStore } from '../domain/ports.ts';

/** Push suspensions that expire by themselves at their end (PXAT), so a missed restore event cannot leave one behind. */
export function redisSuspensionStore(redis: Redis): SuspensionStore {
  const key = (user: UserRef) => `enrollment:push-suspended:{${user.tenantId}}:${user.userId}`;
  return {
    async set(user, until) {
      if (until === null || until.getTime() <= Date.now()) await redis.del(key(user));
      else await redis.set(key(user), until.toISOString(), 'PXAT', until.getTime());
    },
    async get(user) {
      const raw = await redis.get(key(user));
      return raw === null ? null : new Date(raw);
    },
  };
}
