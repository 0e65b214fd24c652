import { randomUUID } from 'node:crypto';
import type { ConfigOf } from '@vigil/config';
import { createSecretBox, ed25519SigningKey, parseSecretKeys } from '@vigil/crypto';
import { SUBSCRIPTIONS, sourceOf, TOPICS } from '@vigil/events';
import { groupProgress } from '@vigil/kafka';
import { redisReplayGuard, type VigilApp } from '@vigil/http';
import { catchUpGate, redisOutbox, redisWakeups, startOutboxRelay, startServiceConsumer, type CatchUpGate, type Outbox, type ServiceConnections, type Wakeups } from '@vigil/runtime';
import { verificationEventHandler, factorTombstoneHandler } from './adapters/event-handlers.ts';
import { keys } from './adapters/keys.ts';
import { redisLongPollPlaces } from './adapters/long-polls.redis.ts';
import { redisRejectionBudget } from './adapters/rejection-budget.redis.ts';
import { redisChallengeProjection } from './adapters/challenge-projection.redis.ts';
import { redisFactorProjection } from './adapters/factor-projection.redis.ts';
import { redisTotpGuard } from './adapters/totp-guard.redis.ts';
import { buildApp } from './app.ts';
import type { serviceSpec } from './config.ts';
import type { FactorProjection } from './domain/ports.ts';
import { STEP_MEMORY_SECONDS } from './domain/totp-replay.ts';
import type { VerificationDeps } from './use-cases/deps.ts';

export interface AssembleOptions extends ServiceConnections {
  config: ConfigOf<typeof serviceSpec>;
  now?: () => Date;
  groupId?: string;
}

/** Devices and TOTP secrets are read only once this instance has applied every factor change made before it joined. */
function readAfterCatchUp(projected: FactorProjection, caughtUp: CatchUpGate): FactorProjection {
  return {
    ...projected,
    async device(deviceId) {
      await caughtUp.ready();
      return projected.device(deviceId);
    },
    async totpSecret(user) {
      await caughtUp.ready();
      return projected.totpSecret(user);
    },
  };
}

interface DepsParts {
  outbox: Outbox;
  newChallenges: Wakeups;
  factors: FactorProjection;
}

function verificationDeps(options: AssembleOptions, { outbox, newChallenges, factors }: DepsParts): VerificationDeps {
  const { config, redis } = options;
  const lockout = { failures: config.TOTP_LOCKOUT_FAILURES, baseMs: config.TOTP_LOCKOUT_BASE_SECONDS * 1000, maxMs: config.TOTP_LOCKOUT_MAX_SECONDS * 1000 };
  return {
    challenges: redisChallengeProjection(redis, config.CHALLENGE_RETENTION_SECONDS * 1000, outbox),
    factors,
    totpGuard: redisTotpGuard(redis, lockout, outbox),
    newChallenges,
    rejections: redisRejectionBudget(redis, { perMinute: config.REJECTION_EVENTS_PER_DEVICE_MINUTE, metrics: options.metrics }),
    longPolls: redisLongPollPlaces(redis, { perDevice: config.LONG_POLLS_PER_DEVICE, perInstance: config.LONG_POLL_MAX }),
    events: outbox.sink,
    secretBox: createSecretBox(parseSecretKeys(config.VIGIL_SECRET_KEYS)),
    serverKey: ed25519SigningKey(config.VIGIL_SERVER_SIGNING_KEY),
    settings: { projectionWaitMs: config.PROJECTION_WAIT_MS, lockout },
    now: options.now ?? (() => new Date()),
    newId: randomUUID,
  };
}

export async function assembleVerification(options: AssembleOptions) {
  const { config, redis } = options;
  const newChallenges = await redisWakeups(redis, keys.newChallengeChannel);
  const outbox = redisOutbox({ redis, producer: options.producer, service: 'verification', source: sourceOf('verification'), metrics: options.metrics });
  const groupId = options.groupId ?? SUBSCRIPTIONS['verification'].group;
  const factorsProgress = groupProgress(options.kafka, groupId, [TOPICS.factors]);
  const caughtUp = catchUpGate({ maxWaitMs: config.CATCH_UP_WAIT_MS, what: TOPICS.factors, appliedUpToNow: () => factorsProgress.appliedUpToNow() });
  const factors = readAfterCatchUp(redisFactorProjection(redis, { stepMemorySeconds: STEP_MEMORY_SECONDS }), caughtUp);
  const deps = verificationDeps(options, { outbox, newChallenges, factors });
  const app: VigilApp = buildApp({
    log: options.log, apiKeys: options.apiKeys, readiness: options.readiness, metrics: options.metrics, ...(options.transport ? { transport: options.transport } : {}),
    replayGuard: redisReplayGuard(redis, keys.replayNamespace), verification: deps,
  });
  return {
    app,
    deps,
    async start() {
      const consumer = await startServiceConsumer(options, {
        service: 'verification',
        groupId,
        topics: SUBSCRIPTIONS['verification'].topics,
        fromBeginning: true,
        handle: verificationEventHandler(deps),
        handleTombstone: factorTombstoneHandler(deps),
        // Enrollment waits for this group on the factors topic before it answers (read-your-writes).
        commitAtOnce: [TOPICS.factors],
        catchUp: { topics: [TOPICS.factors], gate: caughtUp },
      });
      const relay = startOutboxRelay({ redis, producer: options.producer, service: 'verification', log: options.log, metrics: options.metrics });
      return {
        async stop() {
          await relay.stop();
          await consumer.stop();
          await newChallenges.close();
          await factorsProgress.close();
        },
      };
    },
  };
}
