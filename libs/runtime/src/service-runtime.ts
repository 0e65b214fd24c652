import type { Redis } from 'ioredis';
import type { Connection } from 'mongoose';
import { ConfigError, describeConfig, isProduction, loadConfig, productionProblems, type ConfigOf } from '@vigil/config';
import { staticApiKeys, createMetricsRegistry, type ApiKeyStore, type HttpTransport, type ReadinessCheck, type VigilApp } from '@vigil/http';
import { EventProducer, createKafka, ensureTopics, kafkaSecurity, type Kafka } from '@vigil/kafka';
import { createLogger, logProcessWarnings, type Logger } from '@vigil/logger';
import { startTracing } from './tracing.ts';
import type { Registry } from 'prom-client';
import { connectMongo, connectRedis, kafkaReadiness, mongoReadiness, redisReadiness, waitForRedis } from './connections.ts';
import { serveUntilShutdown, shutdownSteps, type ShutdownSteps } from './graceful-shutdown.ts';
import { httpTransport } from './http-transport.ts';
import { runtimeSpec } from './runtime-config.ts';

export type RuntimeConfig = ConfigOf<typeof runtimeSpec>;

/** What a service is assembled from: its connections and the HTTP plumbing every app shares. */
export interface ServiceConnections {
  readonly log: Logger;
  readonly redis: Redis;
  readonly kafka: Kafka;
  readonly producer: EventProducer;
  readonly apiKeys: ApiKeyStore;
  readonly metrics: Registry;
  readonly readiness: ReadinessCheck[];
  /** HTTPS and proxy trust (CONTRACT §1 v2); absent: plain HTTP, no forwarded address believed. */
  readonly transport?: HttpTransport;
}

/** What every service's app.ts needs besides its use cases. */
export type AppBasics = Pick<ServiceConnections, 'log' | 'apiKeys' | 'readiness' | 'metrics' | 'transport'>;

export interface ServiceRuntime extends ServiceConnections {
  readonly service: string;
  readonly config: RuntimeConfig;
  readonly log: Logger;
  readonly redis: Redis;
  readonly kafka: Kafka;
  readonly producer: EventProducer;
  readonly mongo: Connection | null;
  readonly apiKeys: ApiKeyStore;
  readonly metrics: Registry;
  readonly readiness: ReadinessCheck[];
  /** Runs at shutdown in reverse order of registration (consumers before connections). */
  onShutdown(task: () => Promise<void>): void;
  /** Listens, then stops everything in order on SIGINT/SIGTERM or a fatal error. */
  serve(app: VigilApp, port: number): Promise<void>;
}

export interface RuntimeOptions {
  service: string;
  useMongo: boolean;
  env?: Readonly<Record<string, string | undefined>>;
}

interface Backbone {
  readonly redis: Redis;
  readonly kafka: Kafka;
  readonly producer: EventProducer;
  readonly mongo: Connection | null;
  readonly readiness: ReadinessCheck[];
}

interface BackboneSettings extends RuntimeOptions {
  config: RuntimeConfig;
  log: Logger;
  shutdown: ShutdownSteps;
}

/** CONTRACT §2: a production service refuses keys anyone can read in this repository, before it touches anything. */
function refuseDevelopmentKeysInProduction(env: Readonly<Record<string, string | undefined>>): boolean {
  const production = isProduction(env);
  if (production) {
    const problems = productionProblems(env);
    if (problems.length > 0) throw new ConfigError(problems.map((problem) => `${problem} (production mode: VIGIL_ENV or NODE_ENV is production)`));
  }
  return production;
}

async function openMongo(url: string, shutdown: ShutdownSteps): Promise<Connection> {
  const mongo = await connectMongo(url);
  shutdown.add(() => mongo.close());
  return mongo;
}

/** Redis, Kafka (topics + producer) and MongoDB where used, each with its readiness check and shutdown step. */
async function openBackbone({ service, useMongo, config, log, shutdown }: BackboneSettings): Promise<Backbone> {
  const redis = connectRedis(config.REDIS_URL, log);
  shutdown.add(async () => void redis.disconnect());
  await waitForRedis(redis);

  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: `vigil-${service}`, log, config: kafkaSecurity(config) });
  await ensureTopics(kafka, { partitions: config.KAFKA_TOPIC_PARTITIONS, replicationFactor: config.KAFKA_REPLICATION_FACTOR });
  const producer = new EventProducer(kafka);
  await producer.connect();
  shutdown.add(() => producer.disconnect());
  const kafkaCheck = await kafkaReadiness(kafka);
  shutdown.add(() => kafkaCheck.close());

  const readiness: ReadinessCheck[] = [kafkaCheck, redisReadiness(redis)];
  const mongo = useMongo ? await openMongo(config.MONGO_URL, shutdown) : null;
  if (mongo) readiness.push(mongoReadiness(mongo));
  return { redis, kafka, producer, mongo, readiness };
}

/**
 * Shared start-up of a service (main.ts): config, logger, Redis, Kafka (topics + producer), MongoDB where used,
 * readiness checks and graceful shutdown. A configuration error stops start-up with a message naming the variable.
 */
export async function startRuntime(options: RuntimeOptions): Promise<ServiceRuntime> {
  const env = options.env ?? process.env;
  const config = loadConfig(runtimeSpec, env);
  const production = refuseDevelopmentKeysInProduction(env);
  const log = createLogger({ name: options.service, level: config.LOG_LEVEL });
  logProcessWarnings(log);
  log.info({ config: describeConfig(runtimeSpec, config), production }, 'starting');
  const shutdown = shutdownSteps();
  const tracing = await startTracing({ service: options.service, endpoint: config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? null });
  shutdown.add(() => tracing.shutdown());

  const { redis, kafka, producer, mongo, readiness } = await openBackbone({ ...options, config, log, shutdown });
  const transport = httpTransport(config);
  const apiKeys = staticApiKeys(config.VIGIL_API_KEYS ?? new Map());

  return {
    service: options.service,
    config,
    log,
    redis,
    kafka,
    producer,
    mongo,
    apiKeys,
    metrics: createMetricsRegistry(options.service),
    readiness,
    transport,
    onShutdown: (task) => shutdown.add(task),
    serve: (app, port) => serveUntilShutdown(app, port, { config, log, shutdown }),
  };
}
