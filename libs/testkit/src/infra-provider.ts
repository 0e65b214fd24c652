import { join } from 'node:path';
import type { Logger } from '@vigil/logger';
import { dockerAvailable, startKafkaContainer, startMongoContainer, startRedisContainer } from './containers.ts';
import { startLocalKafka } from './local-kafka.ts';
import { startLocalMongo } from './local-mongo.ts';
import { startLocalRedis } from './local-redis.ts';
import { borrowed, type ServerHandle } from './server-handle.ts';

export interface Infra {
  readonly kafkaBrokers: string[];
  readonly redisUrl: string;
  readonly mongoUrl: string;
  /** Where each server came from, for logs and the README's "how infrastructure is chosen". */
  readonly origins: { kafka: ServerHandle['origin']; redis: ServerHandle['origin']; mongo: ServerHandle['origin'] };
  /** Stops whatever this provider started; borrowed servers are left alone. */
  stop(): Promise<void>;
}

export interface ProvideOptions {
  env?: Readonly<Record<string, string | undefined>>;
  log?: Pick<Logger, 'info' | 'warn'>;
  /**
   * Local processes keep their data under `<dataDir>/{kafka,redis,mongo}` across stops and starts (`npm start`).
   * Without it (tests), they keep it in temp folders and memory, gone on stop. Containers always start empty.
   */
  dataDir?: string;
}

type Kind = 'kafka' | 'redis' | 'mongo';
const ENV_NAME: Record<Kind, string> = { kafka: 'KAFKA_BROKERS', redis: 'REDIS_URL', mongo: 'MONGO_URL' };
const CONTAINER: Record<Kind, () => Promise<ServerHandle>> = {
  kafka: startKafkaContainer, redis: startRedisContainer, mongo: startMongoContainer,
};
const LOCAL: Record<Kind, (options: { dataDir?: string }) => Promise<ServerHandle>> = {
  kafka: startLocalKafka, redis: startLocalRedis, mongo: startLocalMongo,
};

/**
 * ARCHITECTURE §4: each server from, in order, the environment; testcontainers when a Docker engine answers; or a
 * local process started here. The three start side by side. If one fails, those already started are stopped.
 */
export async function provideInfra(options: ProvideOptions = {}): Promise<Infra> {
  const env = options.env ?? process.env;
  const docker = await dockerAvailable();
  const announce = (kind: Kind, handle: ServerHandle, dataDir?: string): ServerHandle => {
    options.log?.info({ server: kind, origin: handle.origin, url: handle.url, ...(dataDir ? { dataDir } : {}) }, 'infrastructure server ready');
    return handle;
  };
  const resolveOne = async (kind: Kind): Promise<ServerHandle> => {
    const fromEnv = env[ENV_NAME[kind]];
    if (fromEnv) return announce(kind, borrowed(fromEnv));
    if (docker) {
      if (options.dataDir) options.log?.warn({ server: kind }, 'a container keeps no data: this server starts empty and forgets on stop');
      return announce(kind, await CONTAINER[kind]());
    }
    const dataDir = options.dataDir ? join(options.dataDir, kind) : undefined;
    return announce(kind, await LOCAL[kind](dataDir ? { dataDir } : {}), dataDir);
  };
  const results = await Promise.allSettled((['kafka', 'redis', 'mongo'] as const).map(resolveOne));
  const started = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failures = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as Error] : []));
  if (failures.length > 0) {
    await Promise.allSettled(started.map((handle) => handle.stop()));
    throw new AggregateError(failures, failures.map((failure) => failure.message).join('\n\n'));
  }
  const [kafka, redis, mongo] = started as [ServerHandle, ServerHandle, ServerHandle];
  return {
    kafkaBrokers: kafka.url.split(',').map((broker) => broker.trim()),
    redisUrl: redis.url,
    mongoUrl: mongo.url,
    origins: { kafka: kafka.origin, redis: redis.origin, mongo: mongo.origin },
    stop: async () => void (await Promise.allSettled([kafka.stop(), redis.stop(), mongo.stop()])),
  };
}
