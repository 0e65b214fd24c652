import type { Redis } from 'ioredis';
import type { ActivationThrottle, ProofStore, SuspensionStore, UserRef } from '../domain/ports.ts';

const NS = 'enrollment';

export function redisProofStore(redis: Redis, ttlSeconds: number): ProofStore {
  const key = (tenantId: string, proofId: string) => `${NS}:proof:{${tenantId}}:${proofId}`;
  return {
    async record(proof) {
      await redis.set(key(proof.tenantId, proof.proofId), JSON.stringify({ userId: proof.userId, at: proof.at.toISOString() }), 'EX', ttlSeconds);
    },
    async take(user, proofId) {
      const raw = await redis.getdel(key(user.tenantId, proofId));
      if (raw === null) return null;
      const proof = JSON.parse(raw) as { userId: string; at: string };
      return proof.userId === user.userId ? new Date(proof.at) : null;
    },
  };
}

// INCR and the window's expiry in one step, so a crash between them cannot leave a counter that never expires.
const COUNT_FAILURE = "local n = redis.call('INCR', KEYS[1]); if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end; return n";

export function redisActivationThrottle(redis: Redis, options: { limit: number; windowSeconds: number }): ActivationThrottle {
  const key = (ip: string) => `${NS}:activation-failures:${ip}`;
  return {
    async blockedForMs(ip) {
      const [[, count], [, ttl]] = (await redis.multi().get(key(ip)).pttl(key(ip)).exec()) as [[null, string | null], [null, number]];
      return Number(count ?? 0) >= options.limit ? Math.max(1, ttl) : null;
    },
    async recordFailure(ip) {
      await redis.eval(COUNT_FAILURE, 1, key(ip), String(options.windowSeconds));
    },
  };
}

export function redisSuspensionStore(redis: Redis): SuspensionStore {
  const key = (user: UserRef) => `${NS}:push-suspended:{${user.tenantId}}:${user.userId}`;
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
