import { randomUUID } from 'node:crypto';
import type { ConfigOf } from '@vigil/config';
import { SUBSCRIPTIONS, sourceOf, TOPICS } from '@vigil/events';
import { groupProgress } from '@vigil/kafka';
import type { VigilApp } from '@vigil/http';
import { catchUpGate, redisOutbox, redisWakeups, startOutboxRelay, startServiceConsumer, type CatchUpGate, type Outbox, type ServiceConnections, type Wakeups } from '@vigil/runtime';
import { policyCooldownSchedule } from './domain/policy.ts';
import { redisChallengeStore } from './adapters/challenge-store.redis.ts';
import { challengeEventHandler, factorTombstoneHandler } from './adapters/event-handlers.ts';
import { startExpirySweeper } from './adapters/expiry-sweeper.ts';
import { keys } from './adapters/keys.ts';
import { registerScripts, type ChallengeScripts } from './adapters/redis-scripts.ts';
import { redisDeviceProjection } from './adapters/device-projection.redis.ts';
import { redisIdempotency } from './adapters/idempotency-store.redis.ts';
import { redisPushGate } from './adapters/push-gate.redis.ts';
import { redisUserRisk } from './adapters/user-risk-store.redis.ts';
import { redisPolicyStore } from './adapters/policy-store.redis.ts';
import { buildApp } from './app.ts';
import { defaultPolicy, type serviceSpec } from './config.ts';
import type { PushGate } from './domain/ports.ts';
import type { ChallengeDeps } from './use-cases/deps.ts';
import { expireDueChallenges } from './use-cases/expire-due-challenges.ts';

const EVENT_SOURCE = sourceOf('challenge');

export interface AssembleOptions extends ServiceConnections {
  config: ConfigOf<typeof serviceSpec>;
  groupId?: string;
}

export interface ChallengeService {
  app: VigilApp;
  deps: ChallengeDeps;
  /** Consumers and the expiry sweeper; stop() ends both. */
  start(): Promise<{ stop(): Promise<void> }>;
}

/** The gate reads the user's active device: only once this instance has applied every factor change made before it joined. */
function admitAfterCatchUp(gate: PushGate, caughtUp: CatchUpGate): PushGate {
  return {
    async admit(user, ip, limits) {
      await caughtUp.ready();
      return gate.admit(user, ip, limits);
    },
  };
}

interface DepsParts {
  scripts: ChallengeScripts;
  outbox: Outbox;
  signal: Wakeups;
  caughtUp: CatchUpGate;
}

function challengeDeps(options: AssembleOptions, { scripts, outbox, signal, caughtUp }: DepsParts): ChallengeDeps {
  const { config, redis } = options;
  return {
    store: redisChallengeStore(redis, scripts, {
      retentionMs: config.CHALLENGE_RETENTION_SECONDS * 1000,
      outbox,
      // For challenges stored before each carried its own policy's schedule.
      outcomes: { cooldownSchedule: policyCooldownSchedule(defaultPolicy(config)), fraudSuspensionMs: config.FRAUD_SUSPENSION_SECONDS * 1000 },
    }),
    gate: admitAfterCatchUp(redisPushGate(scripts, randomUUID), caughtUp),
    policies: redisPolicyStore(redis, scripts, outbox),
    idempotency: redisIdempotency(redis),
    devices: redisDeviceProjection(scripts),
    risk: redisUserRisk(redis),
    signal,
    events: outbox.sink,
    settings: { defaultPolicy: defaultPolicy(config), ipPerMinute: config.IP_LIMIT_PER_MINUTE },
    now: () => new Date(),
    newId: randomUUID,
  };
}

export async function assembleChallenge(options: AssembleOptions): Promise<ChallengeService> {
  const { config, redis, log } = options;
  const scripts = registerScripts(redis);
  const signal = await redisWakeups(redis, keys.decidedChannel);
  const outbox = redisOutbox({ redis, producer: options.producer, service: 'challenge', source: EVENT_SOURCE, metrics: options.metrics });
  const groupId = options.groupId ?? SUBSCRIPTIONS['challenge'].group;
  const factorsProgress = groupProgress(options.kafka, groupId, [TOPICS.factors]);
  const caughtUp = catchUpGate({ maxWaitMs: config.CATCH_UP_WAIT_MS, what: TOPICS.factors, appliedUpToNow: () => factorsProgress.appliedUpToNow() });
  const deps = challengeDeps(options, { scripts, outbox, signal, caughtUp });
  const app = buildApp({ log, apiKeys: options.apiKeys, readiness: options.readiness, metrics: options.metrics, ...(options.transport ? { transport: options.transport } : {}), challenges: deps });

  return {
    app,
    deps,
    async start() {
      const consumer = await startServiceConsumer(options, {
        service: 'challenge',
        groupId,
        topics: SUBSCRIPTIONS['challenge'].topics,
        fromBeginning: true,
        handle: challengeEventHandler(deps),
        handleTombstone: factorTombstoneHandler(deps),
        // Enrollment waits for this group on the factors topic before it answers (read-your-writes).
        commitAtOnce: [TOPICS.factors],
        catchUp: { topics: [TOPICS.factors], gate: caughtUp },
      });
      const relay = startOutboxRelay({ redis, producer: options.producer, service: 'challenge', log, metrics: options.metrics });
      const sweeper = startExpirySweeper({ sweep: () => expireDueChallenges(deps), intervalMs: config.EXPIRY_SWEEP_INTERVAL_MS, log });
      return {
        async stop() {
          sweeper.stop();
          await relay.stop();
          await consumer.stop();
          await signal.close();
          await factorsProgress.close();
        },
      };
    },
  };
}
