import type { Redis } from 'ioredis';
import type { QuietReason } from '../domain/challenge.ts';
import type { Admission, DeviceProjection, IdempotencyStore, PushGate, UserRiskStore } from '../domain/ports.ts';
import { keys } from './keys.ts';
import type { ChallengeScripts } from './redis-scripts.ts';

const QUIET_REASONS: ReadonlySet<string> = new Set<QuietReason>(['cooldown', 'user_per_minute', 'user_per_hour', 'since_success']);

export function redisPushGate(scripts: ChallengeScripts, newId: () => string): PushGate {
  return {
    async admit(user, ip, limits): Promise<Admission> {
      const [code, retryAfterMs, deviceId, quietReason] = await scripts.pushGate(
        [keys.suspended(user), keys.cooldown(user), keys.userLog(user), keys.ipLog(user.tenantId, ip ?? '-'), keys.device(user), keys.sinceSuccess(user), keys.quietLog(user)],
        [limits.pushesPerMinute, limits.pushesPerHour, limits.ipPerMinute, newId(), ip ? '1' : '0', 60_000, 3_600_000, limits.pushesSinceSuccess, limits.quietPerHour],
      );
      if (code === 0 && deviceId) return { admitted: true, deviceId, delivery: 'push' };
      if (code === 8 && deviceId && quietReason && QUIET_REASONS.has(quietReason)) return { admitted: true, deviceId, delivery: 'quiet', quietReason: quietReason as QuietReason };
      if (code === 6) return { admitted: false, kind: 'no_device' };
      if (code === 1) return { admitted: false, kind: 'suspended', retryAfterMs };
      return { admitted: false, kind: 'throttled', rule: code === 7 ? 'quiet_per_hour' : 'ip_per_minute', retryAfterMs };
    },
  };
}

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

export function redisDeviceProjection(redis: Redis, scripts: ChallengeScripts): DeviceProjection {
  return {
    async apply(user, deviceId, version) {
      await scripts.applyDevice([keys.device(user)], [deviceId ?? '', version]);
    },
  };
}

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
