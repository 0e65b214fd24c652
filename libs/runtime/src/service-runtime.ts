import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import type { Connection } from 'mongoose';
import closeWithGrace from 'close-with-grace';
import { ConfigError, describeConfig, isProduction, loadConfig, productionProblems, type ConfigOf } from '@vigil/config';
import { parseApiKeys, staticApiKeys, createMetricsRegistry, type ApiKeyStore, type HttpTransport, type ReadinessCheck, type VigilApp } from '@vigil/http';
import { EventProducer, createKafka, ensureTopics, kafkaSecurity, type Kafka } from '@vigil/kafka';
import { createLogger, logProcessWarnings, type Logger } from '@vigil/logger';
import { startTracing } from './tracing.ts';
import type { Registry } from 'prom-client';
import { connectMongo, connectRedis, kafkaReadiness, mongoReadiness, redisReadiness, waitForRedis } from './connections.ts';
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

/** HTTPS from TLS_CERT_FILE and TLS_KEY_FILE (both or neither), and TRUST_PROXY. */
function httpTransport(config: RuntimeConfig): HttpTransport {
  const { TLS_CERT_FILE: certFile, TLS_KEY_FILE: keyFile } = config;
  if (Boolean(certFile) !== Boolean(keyFile)) throw new ConfigError(['TLS_CERT_FILE and TLS_KEY_FILE: set both for HTTPS, or neither']);
  const read = (name: string, file: string) => {
    try {
      return readFileSync(file);
    } catch (error) {
      throw new ConfigError([`${name}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`]);
    }
  };
  return {
    trustProxy: config.TRUST_PROXY,
    ...(certFile && keyFile ? { tls: { cert: read('TLS_CERT_FILE', certFile), key: read('TLS_KEY_FILE', keyFile) } } : {}),
  };
}

/**
 * Shared start-up of a service (main.ts): config, logger, Redis, Kafka (topics + producer), MongoDB where used,
 * readiness checks and graceful shutdown. A configuration error stops start-up with a message naming the variable.
 */
export async function startRuntime(options: RuntimeOptions): Promise<ServiceRuntime> {
  const env = options.env ?? process.env;
  const config = loadConfig(runtimeSpec, env);
  // CONTRACT §2: a production service refuses keys anyone can read in this repository, before it touches anything.
  const production = isProduction(env);
  if (production) {
    const problems = productionProblems(env);
    if (problems.length > 0) throw new ConfigError(problems.map((problem) => `${problem} (production mode: VIGIL_ENV or NODE_ENV is production)`));
  }
  const log = createLogger({ name: options.service, level: config.LOG_LEVEL });
  logProcessWarnings(log);
  log.info({ config: describeConfig(runtimeSpec, config), production }, 'starting');
  const shutdownTasks: (() => Promise<void>)[] = [];
  const tracing = await startTracing({ service: options.service, endpoint: config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? null });
  shutdownTasks.push(() => tracing.shutdown());

  const redis = connectRedis(config.REDIS_URL, log);
  shutdownTasks.push(async () => void redis.disconnect());
  await waitForRedis(redis);

  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: `vigil-${options.service}`, log, config: kafkaSecurity(config) });
  await ensureTopics(kafka, { partitions: config.KAFKA_TOPIC_PARTITIONS, replicationFactor: config.KAFKA_REPLICATION_FACTOR });
  const producer = new EventProducer(kafka);
  await producer.connect();
  shutdownTasks.push(() => producer.disconnect());
  const kafkaCheck = await kafkaReadiness(kafka);
  shutdownTasks.push(() => kafkaCheck.close());

  const readiness: ReadinessCheck[] = [kafkaCheck, redisReadiness(redis)];
  let mongo: Connection | null = null;
  if (options.useMongo) {
    mongo = await connectMongo(config.MONGO_URL);
    const connection = mongo;
    shutdownTasks.push(() => connection.close());
    readiness.push(mongoReadiness(mongo));
  }

  const transport = httpTransport(config);
  const apiKeys = staticApiKeys(config.VIGIL_API_KEYS === undefined ? new Map() : parseApiKeys(config.VIGIL_API_KEYS));

  const runtime: ServiceRuntime = {
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
    onShutdown: (task) => void shutdownTasks.push(task),
    async serve(app, port) {
      closeWithGrace({ delay: config.SHUTDOWN_GRACE_MS }, async ({ signal, err }) => {
        if (err) log.error({ err }, 'fatal error, shutting down');
        else log.info({ signal }, 'shutting down');
        await app.close();
        for (const task of shutdownTasks.reverse()) {
          await task().catch((error: unknown) => log.warn({ err: error }, 'shutdown step failed'));
        }
        log.info('stopped');
      });
      app.server.maxConnections = config.HTTP_MAX_CONNECTIONS;
      const address = await app.listen({ port, host: config.HOST });
      log.info({ address }, 'listening');
    },
  };
  return runtime;
}
