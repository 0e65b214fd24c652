import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ConfigOf } from '@vigil/config';
import { createSecretBox, ed25519SigningKey, parseSecretKeys } from '@vigil/crypto';
import { TOPICS, createEvent } from '@vigil/events';
import { redisReplayGuard, type ApiKeyStore, type ReadinessCheck, type VigilApp } from '@vigil/http';
import { redisProcessedEvents, runConsumer, type EventProducer, type Kafka } from '@vigil/kafka';
import type { Logger } from '@vigil/logger';
import { redisWakeups } from '@vigil/runtime';
import type { Registry } from 'prom-client';
import { verificationEventHandler, factorTombstoneHandler } from './adapters/event-handlers.ts';
import { keys } from './adapters/keys.ts';
import { redisChallengeProjection, redisFactorProjection, redisTotpGuard } from './adapters/projections.redis.ts';
import { buildApp } from './app.ts';
import type { serviceSpec } from './config.ts';
import { lockoutMs } from './domain/lockout-policy.ts';
import type { VerificationDeps } from './use-cases/deps.ts';

export interface AssembleOptions {
  config: ConfigOf<typeof serviceSpec>;
  redis: Redis;
  kafka: Kafka;
  producer: EventProducer;
  log: Logger;
  apiKeys: ApiKeyStore;
  readiness: ReadinessCheck[];
  metrics: Registry;
  now?: () => Date;
  groupId?: string;
}

export async function assembleVerification(options: AssembleOptions) {
  const { config, redis } = options;
  const lockout = { failures: config.TOTP_LOCKOUT_FAILURES, baseMs: config.TOTP_LOCKOUT_BASE_SECONDS * 1000, maxMs: config.TOTP_LOCKOUT_MAX_SECONDS * 1000 };
  const newChallenges = await redisWakeups(redis, keys.newChallengeChannel);
  const deps: VerificationDeps = {
    challenges: redisChallengeProjection(redis, config.CHALLENGE_RETENTION_SECONDS * 1000),
    factors: redisFactorProjection(redis),
    totpGuard: redisTotpGuard(redis, { failures: lockout.failures, lockout: (previous) => lockoutMs(previous, lockout) }),
    newChallenges,
    events: { emit: (type, data) => options.producer.publish(createEvent(type, data, { source: 'urn:vigil:verification' })) },
    secretBox: createSecretBox(parseSecretKeys(config.VIGIL_SECRET_KEYS)),
    serverKey: ed25519SigningKey(config.VIGIL_SERVER_SIGNING_KEY),
    settings: { projectionWaitMs: config.PROJECTION_WAIT_MS, longPollMaxMs: 30_000, lockout },
    now: options.now ?? (() => new Date()),
    newId: randomUUID,
  };
  const app: VigilApp = buildApp({
    log: options.log, apiKeys: options.apiKeys, readiness: options.readiness, metrics: options.metrics,
    replayGuard: redisReplayGuard(redis, keys.replayNamespace), verification: deps,
  });
  const groupId = options.groupId ?? 'verification';
  return {
    app,
    deps,
    async start() {
      const consumer = await runConsumer({
        kafka: options.kafka,
        groupId,
        topics: [TOPICS.factors, TOPICS.challenges],
        fromBeginning: true,
        handle: verificationEventHandler(deps),
        handleTombstone: factorTombstoneHandler(deps),
        producer: options.producer,
        log: options.log,
        processed: redisProcessedEvents(redis, { namespace: `verification:${groupId}` }),
      });
      return {
        async stop() {
          await consumer.stop();
          await newChallenges.close();
        },
      };
    },
  };
}
