import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { ConfigOf } from '@vigil/config';
import { createSecretBox, ed25519SigningKey, parseSecretKeys } from '@vigil/crypto';
import { SUBSCRIPTIONS } from '@vigil/events';
import { chainApiKeyStores, redisReplayGuard, type VigilApp } from '@vigil/http';
import { kafkaEventSink, readerGroups, type RunningConsumer } from '@vigil/kafka';
import { meteredEventSink, startServiceConsumer, type ServiceConnections } from '@vigil/runtime';
import { enrollmentEventHandler } from './adapters/event-handlers.ts';
import { EVENT_SOURCE, kafkaFactorPublisher } from './adapters/events.kafka.ts';
import { enrollmentModels } from './adapters/mongo-models.ts';
import { mongoActivationCodes, mongoApiKeys, mongoDeviceRepository, mongoFactorVersions, mongoTotpRepository } from './adapters/repositories.mongo.ts';
import { redisActivationThrottle, redisProofStore, redisSuspensionStore } from './adapters/stores.redis.ts';
import { buildApp } from './app.ts';
import type { serviceSpec } from './config.ts';
import type { EnrollmentDeps } from './use-cases/deps.ts';
import { republishUnsettled } from './use-cases/publish-factors.ts';

export interface AssembleOptions extends ServiceConnections {
  config: ConfigOf<typeof serviceSpec>;
  mongo: Connection;
  /** Tests move time forward (proof age, code expiry). */
  now?: () => Date;
  /** Consumer group; tests give each instance its own. */
  groupId?: string;
}

export interface EnrollmentService {
  app: VigilApp;
  deps: EnrollmentDeps;
  /** Consumers and the factors repair sweep; stop() ends both. */
  startConsumers(): Promise<RunningConsumer>;
}

/** Builds the enrollment service from its connections: used by main.ts and by the integration tests alike. */
export async function assembleEnrollment(options: AssembleOptions): Promise<EnrollmentService> {
  const { config, redis } = options;
  const models = await enrollmentModels(options.mongo);
  const serverKey = ed25519SigningKey(config.VIGIL_SERVER_SIGNING_KEY);
  const readers = readerGroups(options.kafka, { groups: config.READ_YOUR_WRITES_GROUPS, timeoutMs: config.READ_YOUR_WRITES_TIMEOUT_MS });
  const baseUrl = config.ENROLLMENT_PUBLIC_URL ?? `http://127.0.0.1:${config.ENROLLMENT_PORT}`;
  const deps: EnrollmentDeps = {
    devices: mongoDeviceRepository(models),
    codes: mongoActivationCodes(models),
    totp: mongoTotpRepository(models),
    proofs: redisProofStore(redis, 2 * config.REPLACEMENT_PROOF_MAX_AGE_SECONDS),
    throttle: redisActivationThrottle(redis, { limit: config.ACTIVATION_FAILURES_PER_IP, windowSeconds: config.ACTIVATION_FAILURE_WINDOW_SECONDS }),
    suspensions: redisSuspensionStore(redis),
    factors: kafkaFactorPublisher(options.producer, readers),
    factorVersions: mongoFactorVersions(models),
    events: meteredEventSink(kafkaEventSink(options.producer, EVENT_SOURCE), options.metrics),
    secretBox: createSecretBox(parseSecretKeys(config.VIGIL_SECRET_KEYS)),
    serverKey: { publicKey: serverKey.publicKey, keyId: serverKey.keyId },
    settings: {
      enrollmentBaseUrl: baseUrl,
      activationCodeTtlMs: config.ACTIVATION_CODE_TTL_SECONDS * 1000,
      proofMaxAgeMs: config.REPLACEMENT_PROOF_MAX_AGE_SECONDS * 1000,
      totpEnrollmentTtlMs: config.TOTP_ENROLLMENT_TTL_SECONDS * 1000,
      totpIssuer: config.TOTP_ISSUER,
    },
    now: options.now ?? (() => new Date()),
    newId: randomUUID,
  };
  const app = buildApp({
    log: options.log,
    apiKeys: chainApiKeyStores(options.apiKeys, mongoApiKeys(models)),
    readiness: options.readiness,
    metrics: options.metrics, ...(options.transport ? { transport: options.transport } : {}),
    replayGuard: redisReplayGuard(redis, 'enrollment'),
    enrollment: deps,
  });
  const groupId = options.groupId ?? SUBSCRIPTIONS['enrollment'].group;
  return {
    app,
    deps,
    async startConsumers() {
      const consumer = await startServiceConsumer(options, {
        service: 'enrollment',
        groupId,
        topics: SUBSCRIPTIONS['enrollment'].topics,
        handle: enrollmentEventHandler(deps),
      });
      let repairing = false;
      const repair = setInterval(() => {
        if (repairing) return;
        repairing = true;
        republishUnsettled(deps, config.FACTORS_REPAIR_AFTER_MS)
          .catch((error: unknown) => options.log.warn({ err: error }, 'factors repair sweep failed'))
          .finally(() => { repairing = false; });
      }, Math.max(250, Math.floor(config.FACTORS_REPAIR_AFTER_MS / 3)));
      repair.unref();
      return {
        groupId: consumer.groupId,
        joined: consumer.joined,
        async stop() {
          clearInterval(repair);
          await consumer.stop();
          await readers.close();
        },
      };
    },
  };
}
