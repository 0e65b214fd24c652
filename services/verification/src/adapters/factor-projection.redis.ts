import type { Redis } from 'ioredis';
import type { SealedSecret } from '@vigil/crypto';
import type { FactorProjection } from '../domain/ports.ts';
import { keys } from './keys.ts';
import { redisScript } from './redis-script.ts';

/** Devices and sealed TOTP secrets from vigil.factors.v1; the script keeps the newest version of a user's factors. */
export function redisFactorProjection(redis: Redis, options: { stepMemorySeconds: number }): FactorProjection {
  const apply = redisScript(redis, 'apply-factors', 2);
  const devicePrefix = keys.device('');
  return {
    async apply(user, factors) {
      await apply(keys.factors(user), keys.totpLastStep(user), factors.version, factors.device?.deviceId ?? '', user.tenantId, user.userId,
        factors.device?.publicKey ?? '', factors.totpSecret ? JSON.stringify(factors.totpSecret) : '', devicePrefix,
        factors.totpSpentStep ?? '', options.stepMemorySeconds);
    },
    async remove(user) {
      await apply(keys.factors(user), keys.totpLastStep(user), -1, '', user.tenantId, user.userId, '', '', devicePrefix, '', options.stepMemorySeconds);
    },
    async device(deviceId) {
      const hash = await redis.hgetall(keys.device(deviceId));
      return hash['key'] ? { deviceId, tenantId: hash['tenant'] ?? '', userId: hash['user'] ?? '', publicKey: hash['key'] } : null;
    },
    async totpSecret(user) {
      const raw = await redis.hget(keys.factors(user), 't');
      return raw ? (JSON.parse(raw) as SealedSecret) : null;
    },
  };
}
