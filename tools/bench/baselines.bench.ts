// Baselines measured in the same run as the push flow, on the same machine and servers: what a bare fastify route,
// a bare Redis round trip and a bare kafkajs produce→consume can do here.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { createKafka, type Kafka } from '@vigil/kafka';
import { createLogger } from '@vigil/logger';
import { opsPerSecond } from './load-loop.ts';

export interface Baselines {
  fastifyHelloRps: number;
  redisOpsPerSecond: number;
  kafkaMessagesPerSecond: number;
}

/** autocannon against a bare fastify hello-world in its own process. */
export async function fastifyHelloRps(durationMs: number, connections = 64): Promise<number> {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'fastify-hello.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
      child.once('exit', (code) => reject(new Error(`fastify baseline exited (${code})`)));
    });
    const result = await autocannon({ url: `http://127.0.0.1:${port}/hello`, connections, duration: Math.max(1, Math.round(durationMs / 1000)) });
    return Math.round(result.requests.average);
  } finally {
    child.kill('SIGTERM');
  }
}

export async function redisOpsPerSecond(redisUrl: string, durationMs: number): Promise<number> {
  const redis = new Redis(redisUrl);
  try {
    return await opsPerSecond(() => redis.ping(), { durationMs, concurrency: 50 });
  } finally {
    redis.disconnect();
  }
}

type Consumer = ReturnType<Kafka['consumer']>;
type Producer = ReturnType<Kafka['producer']>;

/** Joins `consumer` to `topic`'s group (resolved once joined), counting what it reads until `count` messages. */
async function countMessages(consumer: Consumer, topic: string, count: number): Promise<{ allReceived: Promise<void>; lastReceivedAt(): number }> {
  await consumer.subscribe({ topic, fromBeginning: true });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  let received = 0;
  let lastAt = 0;
  const allReceived = new Promise<void>((resolve) => {
    void consumer.run({
      eachBatch: async ({ batch }) => {
        received += batch.messages.length;
        lastAt = performance.now();
        if (received >= count) resolve();
      },
    });
  });
  await joined;
  return { allReceived, lastReceivedAt: () => lastAt };
}

/** `count` 300-byte messages, acks=all, as ten concurrent sends of 100 at a time. */
async function produceMessages(producer: Producer, topic: string, count: number): Promise<void> {
  const value = Buffer.alloc(300, 'x');
  for (let sent = 0; sent < count; sent += 1_000) {
    await Promise.all(Array.from({ length: 10 }, (_, batch) => producer.send({
      topic,
      acks: -1,
      messages: Array.from({ length: 100 }, (_, i) => ({ key: String(sent + batch * 100 + i), value })),
    })));
  }
}

/**
 * kafkajs end to end: an idempotent acks=all producer sends `count` 300-byte messages in batches of 100 to a fresh
 * 6-partition topic while a consumer group reads them; messages per second from first send to last receipt.
 */
export async function kafkaMessagesPerSecond(brokers: string[], count = 50_000): Promise<number> {
  const log = createLogger({ name: 'bench-kafka', level: 'error' });
  const kafka = createKafka({ brokers, clientId: 'vigil-bench', log });
  const topic = `bench.baseline.${randomUUID()}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 6, replicationFactor: 1 }], waitForLeaders: true });
  const consumer = kafka.consumer({ groupId: `bench-${randomUUID()}` });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  try {
    await Promise.all([consumer.connect(), producer.connect()]);
    const counting = await countMessages(consumer, topic, count);
    const started = performance.now();
    await produceMessages(producer, topic, count);
    await counting.allReceived;
    return Math.round(count / ((counting.lastReceivedAt() - started) / 1000));
  } finally {
    await Promise.allSettled([consumer.disconnect(), producer.disconnect()]);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
}
