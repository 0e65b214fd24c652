import { readFileSync } from 'node:fs';
import type { Agent } from 'node:http';
import { cert, type Credential } from 'firebase-admin/app';
import type { ConfigOf } from '@vigil/config';
import { SUBSCRIPTIONS, sourceOf, TOPICS } from '@vigil/events';
import { groupProgress } from '@vigil/kafka';
import type { VigilApp } from '@vigil/http';
import { catchUpGate, redisOutbox, startOutboxRelay, startServiceConsumer, type OpenableCatchUpGate, type ServiceConnections } from '@vigil/runtime';
import { redisDeviceChannels } from './adapters/device-channels.redis.ts';
import { redisDispatchLedger } from './adapters/dispatch-ledger.redis.ts';
import { factorTombstoneHandler, notificationEventHandler } from './adapters/event-handler.kafka.ts';
import { fcmSender } from './adapters/push-sender.fcm.ts';
import { buildApp } from './app.ts';
import type { serviceSpec } from './config.ts';
import type { NotificationDeps } from './use-cases/deps.ts';

export interface FcmSetup {
  credential: Credential;
  projectId: string;
  httpAgent?: Agent;
}

/** FCM from the service account in the environment, or null (poll-only). */
export function fcmFromEnvironment(config: ConfigOf<typeof serviceSpec>): FcmSetup | null {
  const file = config.GOOGLE_APPLICATION_CREDENTIALS;
  const json = config.FCM_SERVICE_ACCOUNT_JSON ?? (file === undefined ? undefined : readFileSync(file, 'utf8'));
  if (json === undefined) return null;
  const account = JSON.parse(json) as { project_id: string; client_email: string; private_key: string };
  return { credential: cert({ projectId: account.project_id, clientEmail: account.client_email, privateKey: account.private_key }), projectId: account.project_id };
}

export interface AssembleOptions extends ServiceConnections {
  config: ConfigOf<typeof serviceSpec>;
  fcm: FcmSetup | null;
  groupId?: string;
}

/** The one consumer: challenges to push and the factors that say where, the factors held until caught up. */
function startConsumer(options: AssembleOptions, consumer: { deps: NotificationDeps; groupId: string; caughtUp: OpenableCatchUpGate }) {
  return startServiceConsumer(options, {
    service: 'notification',
    groupId: consumer.groupId,
    topics: SUBSCRIPTIONS['notification'].topics,
    fromBeginning: true,
    handle: notificationEventHandler(consumer.deps),
    handleTombstone: factorTombstoneHandler(consumer.deps),
    // Pushes of different challenges are independent: many in flight, bounded per partition.
    concurrencyPerPartition: options.config.NOTIFICATION_CONCURRENCY,
    // Enrollment waits for this group on the factors topic before it answers (read-your-writes).
    commitAtOnce: [TOPICS.factors],
    catchUp: { topics: [TOPICS.factors], gate: consumer.caughtUp },
  });
}

export function assembleNotification(options: AssembleOptions) {
  const { config, redis, log } = options;
  const sender = options.fcm && fcmSender(options.fcm);
  const mode = sender ? 'fcm' : 'poll-only';
  if (!sender) log.warn('no FCM credentials (FCM_SERVICE_ACCOUNT_JSON or GOOGLE_APPLICATION_CREDENTIALS): poll-only mode, no pushes are sent');
  const outbox = redisOutbox({ redis, producer: options.producer, service: 'notification', source: sourceOf('notification'), metrics: options.metrics });
  const groupId = options.groupId ?? SUBSCRIPTIONS['notification'].group;
  const factorsProgress = groupProgress(options.kafka, groupId, [TOPICS.factors]);
  // Bounded longer than an HTTP hold: a push waits here, not a person, and the partition moves on after it.
  const caughtUp = catchUpGate({ maxWaitMs: 5_000, what: TOPICS.factors, appliedUpToNow: () => factorsProgress.appliedUpToNow() });
  const deps: NotificationDeps = {
    channels: redisDeviceChannels(redis),
    factorsCaughtUp: caughtUp,
    ledger: redisDispatchLedger(redis, outbox, log),
    sender,
    retry: { maxAttempts: config.FCM_MAX_ATTEMPTS, baseMs: config.FCM_RETRY_BASE_MS, maxMs: config.FCM_RETRY_MAX_MS },
    now: () => new Date(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
  const app: VigilApp = buildApp({ log, apiKeys: options.apiKeys, readiness: options.readiness, metrics: options.metrics, ...(options.transport ? { transport: options.transport } : {}), mode });
  return {
    app,
    deps,
    async start() {
      const consumer = await startConsumer(options, { deps, groupId, caughtUp });
      const relay = startOutboxRelay({ redis, producer: options.producer, service: 'notification', log, metrics: options.metrics });
      return {
        async stop() {
          await relay.stop();
          await consumer.stop();
          await sender?.close();
          await factorsProgress.close();
        },
      };
    },
  };
}
