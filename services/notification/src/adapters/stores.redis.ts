import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import type { Logger } from '@vigil/logger';
import { OUTBOX_LUA, type Outbox } from '@vigil/runtime';
import type { DeviceChannels, DispatchLedger, UserRef } from '../domain/ports.ts';

// The notification service's own keys (ARCHITECTURE §2).
const channelKey = (user: UserRef) => `notification:device:{${user.tenantId}:${user.userId}}`;
const APPLY = readFileSync(new URL('./lua/apply-channel.lua', import.meta.url), 'utf8');

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
  };
}

// The outcome replaces the claim (keeping its expiry) and enters the outbox in the same step.
const FINISH = `${OUTBOX_LUA}
redis.call('SET', KEYS[1], ARGV[1], 'KEEPTTL')
return outbox_append(KEYS[2], 2)`;

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
