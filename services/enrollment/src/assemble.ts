import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { ConfigOf } from '@vigil/config';
import { createSecretBox, ed25519SigningKey, parseSecretKeys } from '@vigil/crypto';
import { SUBSCRIPTIONS, sourceOf } from '@vigil/events';
import { chainApiKeyStores, redisReplayGuard, type VigilApp } from '@vigil/http';
import { kafkaEventSink, readerGroups, type ReaderGroups, type RunningConsumer } from '@vigil/kafka';
import { meteredEventSink, startServiceConsumer, type ServiceConnections } from '@vigil/runtime';
import { mongoActivationCodes } from './adapters/activation-codes.mongo.ts';
import { redisActivationThrottle } from './adapters/activation-throttle.redis.ts';
import { mongoApiKeys } from './adapters/api-key-store.mongo.ts';
import { mongoDeviceRepository } from './adapters/device-repository.mongo.ts';
import { enrollmentEventHandler } from './adapters/event-handler.kafka.ts';
import { kafkaFactorPublisher } from './adapters/factor-publisher.kafka.ts';
import { mongoFactorVersions } from './adapters/factor-versions.mongo.ts';
import { enrollmentModels, type EnrollmentModels } from './adapters/models.mongo.ts';
import { redisProofStore } from './adapters/proof-store.redis.ts';
import { redisSuspensionStore } from './adapters/suspension-store.redis.ts';
import { mongoTotpRepository } from './adapters/totp-repository.mongo.ts';
import { buildApp } from './app.ts';
import type { serviceSpec } from './config.ts';
import type { EnrollmentDeps } from './use-cases/deps.ts';
import { republishUnsettledFactors } from './use-cases/republish-unsettled-factors.ts';

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

/** The use cases' ports, on the service's own MongoDB collections, Redis keys and Kafka topics. */
function enrollmentDeps(options: AssembleOptions, models: EnrollmentModels, readers: ReaderGroups): EnrollmentDeps {
  const { config, redis } = options;
  const serverKey = ed25519SigningKey(config.VIGIL_SERVER_SIGNING_KEY);
  return {
    devices: mongoDeviceRepository(models),
    codes: mongoActivationCodes(models),
    totp: mongoTotpRepository(models),
    proofs: redisProofStore(redis, 2 * config.REPLACEMENT_PROOF_MAX_AGE_SECONDS),
    throttle: redisActivationThrottle(redis, { limit: config.ACTIVATION_FAILURES_PER_IP, windowSeconds: config.ACTIVATION_FAILURE_WINDOW_SECONDS }),
    suspensions: redisSuspensionStore(redis),
    factors: kafkaFactorPublisher(options.producer, readers),
    factorVersions: mongoFactorVersions(models),
    events: meteredEventSink(kafkaEventSink(options.producer, sourceOf('enrollment')), options.metrics),
    secretBox: createSecretBox(parseSecretKeys(config.VIGIL_SECRET_KEYS)),
    serverKey: { publicKey: serverKey.publicKey, keyId: serverKey.keyId },
    settings: {
      enrollmentBaseUrl: config.ENROLLMENT_PUBLIC_URL ?? `http://127.0.0.1:${config.ENROLLMENT_PORT}`,
      activationCodeTtlMs: config.ACTIVATION_CODE_TTL_SECONDS * 1000,
      proofMaxAgeMs: config.REPLACEMENT_PROOF_MAX_AGE_SECONDS * 1000,
      totpEnrollmentTtlMs: config.TOTP_ENROLLMENT_TTL_SECONDS * 1000,
      totpIssuer: config.TOTP_ISSUER,
    },
    now: options.now ?? (() => new Date()),
    newId: randomUUID,
  };
}

/** Runs the factors repair sweep a few times per FACTORS_REPAIR_AFTER_MS, one sweep at a time. */
function startRepairSweep(deps: EnrollmentDeps, options: AssembleOptions): { stop(): void } {
  const olderThanMs = options.config.FACTORS_REPAIR_AFTER_MS;
  let repairing = false;
  const repair = setInterval(() => {
    if (repairing) return;
    repairing = true;
    republishUnsettledFactors(deps, { olderThanMs })
      .catch((error: unknown) => options.log.warn({ err: error }, 'factors repair sweep failed'))
      .finally(() => { repairing = false; });
  }, Math.max(250, Math.floor(olderThanMs / 3)));
  repair.unref();
  return { stop: () => clearInterval(repair) };
}

/** Builds the enrollment service from its connections: used by main.ts and by the integration tests alike. */
export async function assembleEnrollment(options: AssembleOptions): Promise<EnrollmentService> {
  const { config, redis } = options;
  const models = await enrollmentModels(options.mongo);
  const readers = readerGroups(options.kafka, { groups: config.READ_YOUR_WRITES_GROUPS, timeoutMs: config.READ_YOUR_WRITES_TIMEOUT_MS });
  const deps = enrollmentDeps(options, models, readers);
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
      const repair = startRepairSweep(deps, options);
      return {
        groupId: consumer.groupId,
        joined: consumer.joined,
        async stop() {
          repair.stop();
          await consumer.stop();
          await readers.close();
        },
      };
    },
  };
}
