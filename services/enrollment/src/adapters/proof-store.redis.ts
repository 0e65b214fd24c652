import type { Redis } from 'ioredis';
import type { ProofStore } from '../domain/ports.ts';

/** Proofs by tenant and proof id, in the enrollment service's own keys (ARCHITECTURE §2); single use (GETDEL). */
export function redisProofStore(redis: Redis, ttlSeconds: number): ProofStore {
  const key = (tenantId: string, proofId: string) => `enrollment:proof:{${tenantId}}:${proofId}`;
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
