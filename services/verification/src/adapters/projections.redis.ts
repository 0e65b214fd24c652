import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import type { SealedSecret } from '@vigil/crypto';
import type { ChallengeProjection, DecideOutcome, FactorProjection, ProjectedChallenge, TotpGuard } from '../domain/ports.ts';
import { keys } from './keys.ts';
import { OUTBOX_LUA, type Outbox } from '@vigil/runtime';

const lua = (name: string) => readFileSync(new URL(`./lua/${name}.lua`, import.meta.url), 'utf8');
type Run = (...args: (string | number)[]) => Promise<unknown>;

function script(redis: Redis, name: string, numberOfKeys: number, prelude = ''): Run {
  const command = `vigilVerification${name.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase())}`;
  redis.defineCommand(command, { lua: `${prelude}\n${lua(name)}`, numberOfKeys });
  const commands = redis as unknown as Record<string, Run>;
  return (...args) => (commands[command] as Run).call(redis, ...args);
}

export function redisChallengeProjection(redis: Redis, retentionMs: number, outbox: Outbox): ChallengeProjection {
  const decide = script(redis, 'decide', 3, OUTBOX_LUA);
  const fromHash = (challengeId: string, hash: Record<string, string>): ProjectedChallenge | null => {
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
  };
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

export function redisFactorProjection(redis: Redis, options: { stepMemorySeconds: number }): FactorProjection {
  const apply = script(redis, 'apply-factors', 2);
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

export function redisTotpGuard(redis: Redis, policy: { failures: number; lockout: (previous: number) => number }, outbox: Outbox): TotpGuard {
  const acceptStep = script(redis, 'accept-step', 7, OUTBOX_LUA);
  const claimAttempt = script(redis, 'claim-attempt', 3);
  // The lockout for the 1st, 2nd, … lockout, as the script applies it (the last value repeats).
  const schedule: number[] = [];
  for (let previous = 0; previous < 64; previous += 1) {
    schedule.push(policy.lockout(previous));
    if (previous > 0 && schedule[previous] === schedule[previous - 1]) break;
  }
  return {
    async claimAttempt(user) {
      const [kind, value, started] = (await claimAttempt(keys.totpLock(user), keys.totpFailures(user), keys.totpLockouts(user), policy.failures, schedule.join(','))) as ['locked' | 'attempt', number, number?];
      if (kind === 'locked') return { kind, retryAfterMs: value };
      return { kind, n: value, lockoutMs: started ? started : null };
    },
    async acceptStep(user, step, ttlSeconds, announce) {
      const batch = outbox.prepare(announce);
      const result = (await acceptStep(keys.totpLastStep(user), keys.totpFailures(user), keys.totpLockouts(user), outbox.stream, keys.totpVerified(user), keys.totpLock(user),
        keys.totpUnanswered(user), step, ttlSeconds, ...outbox.args(batch))) as ['accepted', string[]] | ['undelivered', string[][]] | null;
      if (result === null) return null;
      if (result[0] === 'accepted') {
        try {
          await outbox.deliver(batch, result[1]);
        } catch (error) {
          // This request answers 503: its repeat may converge on the same acceptance (accept-step.lua).
          await redis.set(keys.totpUnanswered(user), String(step), 'EX', ttlSeconds).catch(() => undefined);
          throw error;
        }
        return { verificationId: (announce.data as { verificationId: string }).verificationId };
      }
      // The same code again while its first acceptance is still unannounced: announce it, answer as the first time.
      await outbox.deliverEntries(result[1]);
      const first = JSON.parse(result[1][0]?.[3] ?? '{}') as { data?: { verificationId?: string } };
      return { verificationId: first.data?.verificationId ?? '' };
    },
  };
}
