import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import type { UserRef } from '@vigil/events';
import type { DeviceChannels } from '../domain/ports.ts';

// The notification service's own keys (ARCHITECTURE §2).
const channelKey = (user: UserRef) => `notification:device:{${user.tenantId}:${user.userId}}`;
const APPLY = readFileSync(new URL('./lua/apply-channel.lua', import.meta.url), 'utf8');
/** The script's version for a tombstone: it deletes whatever version is kept. */
const TOMBSTONE_VERSION = -1;

/** The projection of each user's device channel, applied version by version in one script (never backwards). */
export function redisDeviceChannels(redis: Redis): DeviceChannels {
  redis.defineCommand('vigilApplyChannel', { lua: APPLY, numberOfKeys: 1 });
  const apply = (redis as unknown as { vigilApplyChannel(...args: (string | number)[]): Promise<number> }).vigilApplyChannel.bind(redis);
  return {
    async get(user) {
      const hash = await redis.hgetall(channelKey(user));
      if (!hash['d']) return null;
      return { deviceId: hash['d'], channel: hash['c'] === 'fcm' ? 'fcm' : 'poll', pushToken: hash['k'] || null };
    },
    async apply(user, device, version) {
      await apply(channelKey(user), version, device?.deviceId ?? '', device?.channel ?? 'poll', device?.pushToken ?? '');
    },
    async forget(user) {
      await apply(channelKey(user), TOMBSTONE_VERSION, '', 'poll', '');
    },
  };
}
