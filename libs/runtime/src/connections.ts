import { Redis } from 'ioredis';
import type { Connection } from 'mongoose';
import type { Kafka } from '@vigil/kafka';
import type { ReadinessCheck } from '@vigil/http';
import type { Logger } from '@vigil/logger';

/**
 * Redis for throttling and state. Commands fail at once while the connection is down (no offline queue), so that
 * callers can fail closed with a 503 instead of hanging (ARCHITECTURE §7). Auto-pipelining sends every command issued
 * in one event-loop turn as one socket write: socket writes were the largest single cost under load (`npm run bench`).
 */
export function connectRedis(url: string, log: Logger): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    lazyConnect: false,
    enableAutoPipelining: true,
  });
  let down = false;
  redis.on('error', (error: Error) => {
    if (!down) log.warn({ err: error }, 'redis connection error');
    down = true;
  });
  redis.on('ready', () => {
    if (down) log.info('redis connection restored');
    down = false;
  });
  return redis;
}

export async function waitForRedis(redis: Redis, timeoutMs = 30_000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Redis not ready after ${timeoutMs} ms`)), timeoutMs);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export function redisReadiness(redis: Redis): ReadinessCheck {
  return { name: 'redis', check: async () => redis.status === 'ready' && (await redis.ping()) === 'PONG' };
}

/**
 * Never sets serverApi and never opens sessions: the local wire server supports neither (docs/mongodb-wire-server.md).
 * mongoose is loaded here, on first use: three of the five services never touch MongoDB, and loading mongoose and its
 * driver costs a process ~40 MB of RSS.
 */
export async function connectMongo(url: string): Promise<Connection> {
  const { default: mongoose } = await import('mongoose');
  const connection = mongoose.createConnection(url, { serverSelectionTimeoutMS: 10_000, autoIndex: true });
  await connection.asPromise();
  return connection;
}

/** mongoose's ConnectionStates.connected (a value import would load mongoose in every service). */
const MONGO_CONNECTED = 1;

export function mongoReadiness(connection: Connection): ReadinessCheck {
  return {
    name: 'mongo',
    check: async () => {
      if (connection.readyState !== MONGO_CONNECTED || !connection.db) return false;
      await connection.db.command({ ping: 1 });
      return true;
    },
  };
}

/** Asks the cluster for its metadata through a long-lived admin client: answers only while a broker is reachable. */
export async function kafkaReadiness(kafka: Kafka): Promise<ReadinessCheck & { close(): Promise<void> }> {
  const admin = kafka.admin();
  await admin.connect();
  return {
    name: 'kafka',
    check: async () => (await admin.describeCluster()).brokers.length > 0,
    close: () => admin.disconnect(),
  };
}
