import type { Redis } from 'ioredis';
import type { Challenge, ChallengeStatus } from '../domain/challenge.ts';
import type { ChallengeStore } from '../domain/ports.ts';
import { keys } from './keys.ts';
import type { ChallengeScripts } from './redis-scripts.ts';

// Field names are short: one hash per challenge, written on the hot path.
function toHash(challenge: Challenge): Record<string, string> {
  return {
    id: challenge.challengeId,
    t: challenge.tenantId,
    u: challenge.userId,
    d: challenge.deviceId,
    n: challenge.numberMatch,
    s: challenge.status,
    r: challenge.reason ?? '',
    ca: challenge.createdAt.toISOString(),
    ea: challenge.expiresAt.toISOString(),
    da: challenge.decidedAt?.toISOString() ?? '',
    x: JSON.stringify(challenge.context),
  };
}

function fromHash(challengeId: string, hash: Record<string, string>): Challenge | null {
  if (!hash['t']) return null;
  return {
    challengeId,
    tenantId: hash['t'],
    userId: hash['u'] ?? '',
    deviceId: hash['d'] ?? '',
    numberMatch: hash['n'] ?? '',
    status: (hash['s'] ?? 'pending') as ChallengeStatus,
    reason: hash['r'] || null,
    createdAt: new Date(hash['ca'] ?? 0),
    expiresAt: new Date(hash['ea'] ?? 0),
    decidedAt: hash['da'] ? new Date(hash['da']) : null,
    context: JSON.parse(hash['x'] ?? '{}') as Challenge['context'],
  };
}

function pairsToHash(pairs: string[]): Record<string, string> {
  const hash: Record<string, string> = {};
  for (let i = 0; i + 1 < pairs.length; i += 2) hash[pairs[i] as string] = pairs[i + 1] as string;
  return hash;
}

export function redisChallengeStore(redis: Redis, scripts: ChallengeScripts, retentionMs: number): ChallengeStore {
  return {
    async create(challenge) {
      const key = keys.challenge(challenge.challengeId);
      await redis.multi()
        .hset(key, toHash(challenge))
        .pexpireat(key, challenge.expiresAt.getTime() + retentionMs)
        .zadd(keys.expiries, challenge.expiresAt.getTime(), challenge.challengeId)
        .exec();
    },
    async get(challengeId) {
      return fromHash(challengeId, await redis.hgetall(keys.challenge(challengeId)));
    },
    async decide(challengeId, status, reason, at) {
      const pairs = await scripts.decide([keys.challenge(challengeId), keys.expiries], [status, reason ?? '', at.toISOString(), challengeId]);
      return pairs ? fromHash(challengeId, pairsToHash(pairs)) : null;
    },
    async takeExpired(now, limit) {
      const rows = await scripts.takeExpired([keys.expiries], [now.getTime(), limit, keys.challengePrefix, now.toISOString()]);
      return rows.flatMap((pairs) => {
        const hash = pairsToHash(pairs);
        const challenge = hash['id'] ? fromHash(hash['id'], hash) : null;
        return challenge ? [challenge] : [];
      });
    },
  };
}
