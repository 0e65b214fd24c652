import type { Redis } from 'ioredis';
import type { Challenge, ChallengeStatus } from '../domain/challenge.ts';
import type { ChallengeStore } from '../domain/ports.ts';
import { keys } from './keys.ts';
import type { ChallengeScripts } from './redis-scripts.ts';
import { TOPICS, draft } from '@vigil/events';
import type { Outbox } from '@vigil/runtime';

// Field names are short: one hash per challenge, written on the hot path.
function toHash(challenge: Challenge): Record<string, string> {
  return {
    id: challenge.challengeId,
    t: challenge.tenantId,
    u: challenge.userId,
    d: challenge.deviceId,
    n: challenge.numberMatch,
    dl: challenge.delivery,
    qr: challenge.quietReason ?? '',
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
    // Challenges stored before quiet delivery were all pushed.
    delivery: hash['dl'] === 'quiet' ? 'quiet' : 'push',
    quietReason: (hash['qr'] || null) as Challenge['quietReason'],
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

export interface ChallengeStoreOptions {
  retentionMs: number;
  outbox: Outbox;
  /** What a finished challenge means for the user's next pushes: ms of cool-down per miss count, fraud suspension. */
  outcomes: { cooldownSchedule: readonly number[]; fraudSuspensionMs: number };
}

export function redisChallengeStore(redis: Redis, scripts: ChallengeScripts, options: ChallengeStoreOptions): ChallengeStore {
  const { outbox } = options;
  const outcomeArgs = [options.outcomes.cooldownSchedule.join(',') || '0', String(options.outcomes.fraudSuspensionMs)];
  return {
    async create(challenge, announce, outcomes) {
      const created = outbox.prepare(announce.created);
      const [expired] = outbox.prepare(announce.expired).messages;
      if (!expired) throw new Error('no expired event');
      // The cool-down schedule of the policy the challenge was created under: a later policy change applies to later
      // challenges only.
      const fields = [...Object.entries(toHash(challenge)).flat(), 'cs', outcomes.cooldownSchedule.join(',') || '0'];
      const ids = await scripts.create(
        [keys.challenge(challenge.challengeId), keys.expiries, outbox.stream],
        [challenge.expiresAt.getTime(), challenge.expiresAt.getTime() + options.retentionMs, expired.value ?? '', JSON.stringify(expired.headers), ...fields, '--', ...outbox.args(created)],
      );
      await outbox.deliver(created, ids);
    },
    async get(challengeId) {
      return fromHash(challengeId, await redis.hgetall(keys.challenge(challengeId)));
    },
    async decide(user, challengeId, status, reason, at, announce) {
      const batch = outbox.prepare(...announce);
      const result = await scripts.decide(
        [keys.challenge(challengeId), keys.expiries, keys.misses(user), keys.cooldown(user), keys.suspended(user), outbox.stream, keys.sinceSuccess(user)],
        [status, reason ?? '', at.toISOString(), challengeId, ...outcomeArgs, ...outbox.args(batch)],
      );
      if (result === null) return null;
      const [changed, pairs, ids, undelivered] = result;
      const challenge = fromHash(challengeId, pairsToHash(pairs));
      if (challenge === null) return null;
      if (changed === 1) await outbox.deliver(batch, ids);
      // A repeat of a change whose events are still waiting: published now, then answered as the first time.
      if (undelivered.length > 0) await outbox.deliverEntries(undelivered);
      return { challenge, changed: changed === 1 };
    },
    async takeExpired(now, limit) {
      const [ids, entries, legacy] = await scripts.takeExpired([keys.expiries, outbox.stream], [
        now.getTime(), limit, keys.challengePrefix, now.toISOString(), ...outcomeArgs,
        keys.missesPrefix, keys.cooldownPrefix, keys.suspendedPrefix, TOPICS.challenges,
      ]);
      // Announced now if Kafka takes it; else the outbox relay does shortly.
      await outbox.deliverEntries(entries).catch(() => undefined);
      // Challenges stored before expired events were written at creation: announced from their hash (not in the
      // same step; only during the first lifetime after an upgrade).
      for (const pairs of legacy) {
        const challenge = fromHash(pairsToHash(pairs)['id'] ?? '', pairsToHash(pairs));
        if (!challenge) continue;
        await outbox.emit(draft('vigil.challenge.expired', {
          tenantId: challenge.tenantId, userId: challenge.userId, challengeId: challenge.challengeId, deviceId: challenge.deviceId,
          expiredAt: now.toISOString(), context: challenge.context,
        })).catch(() => undefined);
      }
      return ids;
    },
  };
}
