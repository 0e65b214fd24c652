import type { Redis } from 'ioredis';
import { OUTBOX_LUA, type Outbox } from '@vigil/runtime';
import type { ChallengeProjection, DecideOutcome, ProjectedChallenge } from '../domain/ports.ts';
import { keys } from './keys.ts';
import { redisScript } from './redis-script.ts';

/** A challenge from its hash (short field names: one hash per challenge, many per second); null when absent. */
function fromHash(challengeId: string, hash: Record<string, string>): ProjectedChallenge | null {
  if (!hash['t']) return null;
  return {
    challengeId,
    tenantId: hash['t'],
    userId: hash['u'] ?? '',
    deviceId: hash['d'] ?? '',
    numberMatch: hash['n'] ?? '',
    numberMatchDigits: Number(hash['nd'] ?? 2),
    createdAt: new Date(Number(hash['ca'])),
    expiresAt: new Date(Number(hash['ea'])),
    context: JSON.parse(hash['x'] ?? '{}') as ProjectedChallenge['context'],
    status: (hash['s'] ?? 'pending') as ProjectedChallenge['status'],
    signed: { payload: hash['sp'] ?? '', signature: hash['sg'] ?? '', keyId: hash['sk'] ?? '' },
  };
}

/** This service's projection of vigil.challenges.v1: a hash per challenge and a pending set per device. */
export function redisChallengeProjection(redis: Redis, retentionMs: number, outbox: Outbox): ChallengeProjection {
  const decide = redisScript(redis, 'decide', 3, OUTBOX_LUA);
  return {
    async put(challenge) {
      const key = keys.challenge(challenge.challengeId);
      // HSETNX on the status keeps a redelivered created event from reopening a decided challenge.
      await redis.multi()
        .hsetnx(key, 's', 'pending')
        .hset(key, {
          t: challenge.tenantId, u: challenge.userId, d: challenge.deviceId, n: challenge.numberMatch, nd: challenge.numberMatchDigits,
          ca: challenge.createdAt.getTime(), ea: challenge.expiresAt.getTime(), x: JSON.stringify(challenge.context),
          sp: challenge.signed.payload, sg: challenge.signed.signature, sk: challenge.signed.keyId,
        })
        .pexpireat(key, challenge.expiresAt.getTime() + retentionMs)
        .zadd(keys.pending(challenge.deviceId), challenge.expiresAt.getTime(), challenge.challengeId)
        .pexpireat(keys.pending(challenge.deviceId), challenge.expiresAt.getTime() + retentionMs)
        .exec();
    },
    async get(challengeId) {
      return fromHash(challengeId, await redis.hgetall(keys.challenge(challengeId)));
    },
    async decide(challengeId, status, now, announce, mismatch) {
      const challenge = await redis.hget(keys.challenge(challengeId), 'd');
      if (challenge === null) return 'missing';
      const batch = outbox.prepare(...announce);
      const [outcome, entries] = (await decide(keys.challenge(challengeId), keys.pending(challenge), outbox.stream, status, now.getTime(), challengeId, mismatch ? 'mismatch' : '', ...outbox.args(batch))) as
        [DecideOutcome | 'undelivered', string[] | string[][]];
      // The device answers only once the decision is on Kafka: if that fails, it gets 503 and its repeat lands here.
      if (outcome === 'decided') await outbox.deliver(batch, entries as string[]);
      if (outcome === 'undelivered') await outbox.deliverEntries(entries as string[][]);
      return outcome === 'undelivered' ? 'decided' : outcome;
    },
    async markEnded(challengeId, status) {
      const key = keys.challenge(challengeId);
      const [deviceId, current] = await redis.hmget(key, 'd', 's');
      if (!deviceId || current !== 'pending') return;
      await redis.multi().hset(key, 's', status).zrem(keys.pending(deviceId), challengeId).exec();
    },
    async pendingFor(deviceId, now) {
      const ids = await redis.zrangebyscore(keys.pending(deviceId), now.getTime() + 1, '+inf');
      if (ids.length === 0) return [];
      const pipeline = redis.pipeline();
      for (const id of ids) pipeline.hgetall(keys.challenge(id));
      const hashes = (await pipeline.exec()) ?? [];
      // Newest first (CONTRACT §6 v2): the sign-in the user is looking at is the one most likely just made.
      return ids.flatMap((id, index) => {
        const challenge = fromHash(id, (hashes[index]?.[1] ?? {}) as Record<string, string>);
        return challenge && challenge.status === 'pending' ? [challenge] : [];
      }).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    },
  };
}
