import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import type { LongPollPlaces } from '../domain/ports.ts';
import { keys } from './keys.ts';

type Take = (key: string, holder: string, maxMs: number, perDevice: number) => Promise<number>;

/**
 * CONTRACT §6 (v2): `perDevice` places per device in Redis (shared by every instance) and `perInstance` in this
 * process. A refused poll is told to come back in a second: by then one of the device's polls has usually ended.
 */
export function redisLongPollPlaces(redis: Redis, limits: { perDevice: number; perInstance: number }): LongPollPlaces {
  redis.defineCommand('vigilVerificationTakeLongPoll', { lua: readFileSync(new URL('./lua/take-long-poll.lua', import.meta.url), 'utf8'), numberOfKeys: 1 });
  const take = (redis as unknown as { vigilVerificationTakeLongPoll: Take }).vigilVerificationTakeLongPoll.bind(redis);
  let held = 0;
  return {
    async take(deviceId, maxMs) {
      if (held >= limits.perInstance) return { taken: false, retryAfterMs: 1_000 };
      held += 1;
      const holder = randomUUID();
      const key = keys.longPolls(deviceId);
      try {
        // A little longer than the poll itself: the place must outlive its holder's longest wait.
        if ((await take(key, holder, maxMs + 5_000, limits.perDevice)) !== 1) {
          held -= 1;
          return { taken: false, retryAfterMs: 1_000 };
        }
      } catch (error) {
        held -= 1;
        throw error;
      }
      let released = false;
      return {
        taken: true,
        async release() {
          if (released) return;
          released = true;
          held -= 1;
          await redis.zrem(key, holder);
        },
      };
    },
  };
}
