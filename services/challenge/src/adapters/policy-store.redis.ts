import type { Redis } from 'ioredis';
import type { Outbox } from '@vigil/runtime';
import type { Policy } from '../domain/policy.ts';
import type { PolicyStore } from '../domain/ports.ts';
import { keys } from './keys.ts';
import type { ChallengeScripts } from './redis-scripts.ts';

/**
 * One JSON value per tenant in the service's Redis (every instance reads it on each create: a change applies to the
 * very next challenge, CONTRACT §5a), written in the same step as its announcement on vigil.policies.v1.
 */
export function redisPolicyStore(redis: Redis, scripts: ChallengeScripts, outbox: Outbox): PolicyStore {
  return {
    async get(tenantId) {
      const raw = await redis.get(keys.policy(tenantId));
      return raw ? { policy: JSON.parse(raw) as Policy, revision: raw } : null;
    },
    async put(tenantId, policy, basedOn, announce) {
      const batch = outbox.prepare(announce);
      const ids = await scripts.putPolicy([keys.policy(tenantId), outbox.stream], [JSON.stringify(policy), basedOn ?? '', ...outbox.args(batch)]);
      if (ids === null) return false;
      await outbox.deliver(batch, ids);
      return true;
    },
  };
}
