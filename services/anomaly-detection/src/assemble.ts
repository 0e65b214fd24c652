import type { Redis } from 'ioredis';
import type { Connection } from 'mongoose';
import type { ConfigOf } from '@vigil/config';
import { TOPICS, createEvent } from '@vigil/events';
import type { ApiKeyStore, ReadinessCheck } from '@vigil/http';
import { redisProcessedEvents, runConsumer, type EventProducer, type Kafka } from '@vigil/kafka';
import type { Logger } from '@vigil/logger';
import type { Registry } from 'prom-client';
import { mongoAlertStore } from './adapters/alerts.mongo.ts';
import { redisWindows } from './adapters/windows.redis.ts';
import { buildApp } from './app.ts';
import { ruleSettings, type serviceSpec } from './config.ts';
import { analyzeEvent } from './use-cases/analyze-event.ts';
import type { AnomalyDeps } from './use-cases/deps.ts';

export interface AssembleOptions {
  config: ConfigOf<typeof serviceSpec>;
  redis: Redis;
  mongo: Connection;
  kafka: Kafka;
  producer: EventProducer;
  log: Logger;
  apiKeys: ApiKeyStore;
  readiness: ReadinessCheck[];
  metrics: Registry;
  groupId?: string;
}

export async function assembleAnomalyDetection(options: AssembleOptions) {
  const { redis, log } = options;
  const deps: AnomalyDeps = {
    windows: redisWindows(redis),
    alerts: await mongoAlertStore(options.mongo, redis),
    events: { emit: (type, data) => options.producer.publish(createEvent(type, data, { source: 'urn:vigil:anomaly-detection' })) },
    rules: ruleSettings(options.config),
    now: () => new Date(),
  };
  const app = buildApp({ log, apiKeys: options.apiKeys, readiness: options.readiness, metrics: options.metrics, anomaly: deps });
  const groupId = options.groupId ?? 'anomaly-detection';
  return {
    app,
    deps,
    async start() {
      // Keyed by tenantId:userId, a user's events reach one instance in order: rules see a consistent window.
      const consumer = await runConsumer({
        kafka: options.kafka,
        groupId,
        topics: [TOPICS.challenges, TOPICS.verifications, TOPICS.notifications],
        handle: (event) => analyzeEvent(deps, event),
        producer: options.producer,
        log,
        processed: redisProcessedEvents(redis, { namespace: `anomaly:${groupId}` }),
      });
      return { stop: () => consumer.stop() };
    },
  };
}
