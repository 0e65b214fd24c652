import type { Connection } from 'mongoose';
import type { ConfigOf } from '@vigil/config';
import { SUBSCRIPTIONS, sourceOf } from '@vigil/events';
import { kafkaEventSink } from '@vigil/kafka';
import { meteredEventSink, mongoOutbox, startMongoOutboxRelay, startServiceConsumer, type ServiceConnections } from '@vigil/runtime';
import { redisAlertDedup } from './adapters/alert-dedup.redis.ts';
import { mongoAlertStore } from './adapters/alerts.mongo.ts';
import { redisWindows } from './adapters/windows.redis.ts';
import { buildApp } from './app.ts';
import { ruleSettings, type serviceSpec } from './config.ts';
import { analyzeEvent } from './use-cases/analyze-event.ts';
import type { AnomalyDeps } from './use-cases/deps.ts';

export interface AssembleOptions extends ServiceConnections {
  config: ConfigOf<typeof serviceSpec>;
  mongo: Connection;
  groupId?: string;
}

export async function assembleAnomalyDetection(options: AssembleOptions) {
  const { redis, log } = options;
  const alerts = await mongoAlertStore(options.mongo, mongoOutbox({ producer: options.producer, source: sourceOf('anomaly-detection'), metrics: options.metrics }));
  const deps: AnomalyDeps = {
    windows: redisWindows(redis),
    dedup: redisAlertDedup(redis),
    alerts,
    events: meteredEventSink(kafkaEventSink(options.producer, sourceOf('anomaly-detection')), options.metrics),
    rules: ruleSettings(options.config),
    now: () => new Date(),
  };
  const app = buildApp({ log, apiKeys: options.apiKeys, readiness: options.readiness, metrics: options.metrics, ...(options.transport ? { transport: options.transport } : {}), anomaly: deps });
  const groupId = options.groupId ?? SUBSCRIPTIONS['anomaly-detection'].group;
  return {
    app,
    deps,
    async start() {
      // Keyed by tenantId:userId, a user's events reach one instance in order: rules see a consistent window.
      const consumer = await startServiceConsumer(options, {
        service: 'anomaly',
        groupId,
        topics: SUBSCRIPTIONS['anomaly-detection'].topics,
        handle: async (event) => {
          await analyzeEvent(deps, { event });
        },
        // Events are keyed tenant:user, so key-ordered concurrency keeps each user's events in order (the per-user
        // windows); cross-user rules already meet concurrent instances and open alerts through Redis SET NX. At one
        // message at a time, events of other tenants queued ahead delayed alerts by more than 15 s under load.
        concurrencyPerPartition: 32,
      });
      const relay = startMongoOutboxRelay({ model: alerts.model as never, producer: options.producer, log, metrics: options.metrics });
      return {
        async stop() {
          relay.stop();
          await consumer.stop();
        },
      };
    },
  };
}
