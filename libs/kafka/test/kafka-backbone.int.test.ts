import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { KafkaMessage } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testInfra } from '@vigil/testkit/vitest';
import { ALL_TOPICS, TOPICS, dlqTopic, encodeEvent, type VigilEvent } from '@vigil/events';
import { createLogger } from '@vigil/logger';
import { sampleEvent, waitFor } from '@vigil/testkit';
import {
  EventProducer,
  EventSchemaError,
  PermanentHandlerError,
  createKafka,
  ensureTopics,
  redisProcessedEvents,
  runConsumer,
  type RunningConsumer,
} from '../src/index.ts';

const infra = testInfra();
const log = createLogger({ name: 'kafka-test', level: 'silent' });
const kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: 'kafka-test', log });
const producer = new EventProducer(kafka);
const redis = new Redis(infra.redisUrl);
const running: RunningConsumer[] = [];

/** Events of one fresh tenant, so that tests sharing topics never see each other's messages. */
function tenantScope() {
  const tenantId = `t-${randomUUID().slice(0, 8)}`;
  const seen: VigilEvent[] = [];
  const user = { tenantId, userId: 'alice' };
  return { tenantId, user, seen, mine: (event: VigilEvent) => (event.data as { tenantId: string }).tenantId === tenantId };
}

async function consume(groupId: string, handle: (event: VigilEvent) => Promise<void>, extra: Partial<Parameters<typeof runConsumer>[0]> = {}) {
  const consumer = await runConsumer({
    kafka, groupId, topics: [TOPICS.challenges], producer, log, handle, fromBeginning: true, retryBaseMs: 10, ...extra,
  });
  running.push(consumer);
  return consumer;
}

async function readDlq(topic: string, match: (message: KafkaMessage) => boolean, count: number): Promise<KafkaMessage[]> {
  const found: KafkaMessage[] = [];
  const consumer = kafka.consumer({ groupId: `dlq-reader-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void (match(message) && found.push(message)) });
  try {
    await waitFor(() => found.length >= count, { what: `${count} DLQ messages` });
    return found;
  } finally {
    await consumer.disconnect();
  }
}

beforeAll(async () => {
  await ensureTopics(kafka, { partitions: 3, replicationFactor: 1 });
  await producer.connect();
});

afterAll(async () => {
  await Promise.allSettled(running.map((consumer) => consumer.stop()));
  await producer.disconnect();
  redis.disconnect();
});

describe('topic bootstrap', () => {
  it('creates every topic of the contract with its DLQ, and compacts vigil.factors.v1', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const topics = new Set(await admin.listTopics());
      for (const topic of ALL_TOPICS) {
        expect(topics).toContain(topic);
        expect(topics).toContain(dlqTopic(topic));
      }
      const described = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: 2, name: TOPICS.factors, configNames: ['cleanup.policy'] }],
      });
      expect(described.resources[0]?.configEntries[0]?.configValue).toBe('compact');
      // A second bootstrap (another service starting) changes nothing and does not fail.
      expect(await ensureTopics(kafka, { partitions: 3, replicationFactor: 1 })).toEqual([]);
    } finally {
      await admin.disconnect();
    }
  });
});

describe('event backbone', () => {
  it('delivers a schema-valid event to another consumer group', async () => {
    const scope = tenantScope();
    await consume(`group-${randomUUID()}`, async (event) => void (scope.mine(event) && scope.seen.push(event)));
    const sent = sampleEvent('vigil.challenge.created', scope.user);
    await producer.publish(sent);
    const [received] = await waitFor(() => scope.seen.length > 0 && scope.seen, { what: 'the event' });
    expect(received).toEqual(sent);
  });

  it('refuses to publish an event that breaks its schema', async () => {
    const event = sampleEvent('vigil.challenge.created', tenantScope().user);
    const leaky = { ...event, data: { ...event.data, pushToken: 'secret-token' } } as unknown as VigilEvent;
    await expect(producer.publish(leaky)).rejects.toBeInstanceOf(EventSchemaError);
  });

  it('parks invalid messages in the DLQ with their bytes and an error header, and keeps handling the partition', async () => {
    const scope = tenantScope();
    await consume(`group-${randomUUID()}`, async (event) => void (scope.mine(event) && scope.seen.push(event)));
    const key = `${scope.tenantId}:alice`;
    const garbage = Buffer.from(`{"not": "an event" ${scope.tenantId}`);
    const wrongShape = sampleEvent('vigil.challenge.created', scope.user);
    const wrongBytes = encodeEvent({ ...wrongShape, data: { ...wrongShape.data, numberMatch: 'abc' } } as VigilEvent);
    await producer.sendRaw(TOPICS.challenges, [{ key, value: garbage }, { key, value: wrongBytes }]);
    const valid = sampleEvent('vigil.challenge.cancelled', scope.user);
    await producer.publish(valid);

    await waitFor(() => scope.seen.some((event) => event.id === valid.id), { what: 'the valid event after the bad ones' });
    const parked = await readDlq(dlqTopic(TOPICS.challenges), (message) => message.key?.toString() === key, 2);
    const values = parked.map((message) => message.value?.toString());
    expect(values).toContain(garbage.toString());
    expect(values).toContain(wrongBytes.toString());
    for (const message of parked) {
      expect(message.headers?.['error']?.toString()).toMatch(/not JSON|numberMatch/);
      expect(message.headers?.['error-kind']?.toString()).toBe('invalid');
    }
  });

  it('parks an event whose source is not its type\'s producer, or that travels on another type\'s topic (provenance)', async () => {
    const scope = tenantScope();
    const groupId = `group-${randomUUID()}`;
    await consume(groupId, async (event) => void (scope.mine(event) && scope.seen.push(event)));
    const key = `${scope.tenantId}:alice`;
    // A forged creation claiming to come from verification, and a factors snapshot slipped onto the challenges topic.
    const forged = { ...sampleEvent('vigil.challenge.created', scope.user), source: 'urn:vigil:verification' };
    const misrouted = sampleEvent('vigil.factors.snapshot', scope.user);
    await producer.sendRaw(TOPICS.challenges, [{ key, value: encodeEvent(forged) }, { key, value: encodeEvent(misrouted) }]);
    const valid = sampleEvent('vigil.challenge.cancelled', scope.user);
    await producer.publish(valid);

    await waitFor(() => scope.seen.some((event) => event.id === valid.id), { what: 'the valid event after the forged ones' });
    expect(scope.seen.map((event) => event.id)).toEqual([valid.id]);
    // Every group reading the topic parks them; this group's letters name it.
    const parked = await readDlq(dlqTopic(TOPICS.challenges), (message) => message.key?.toString() === key && message.headers?.['consumer-group']?.toString() === groupId, 2);
    expect(parked.map((message) => message.headers?.['error-kind']?.toString())).toEqual(['provenance', 'provenance']);
    expect(parked.map((message) => message.headers?.['error']?.toString()).join(' ')).toMatch(/comes from urn:vigil:challenge.*travels on vigil.factors.v1|travels on vigil.factors.v1.*comes from urn:vigil:challenge/);
  });

  it('retries a failing handler, then parks the poison message and moves on', async () => {
    const scope = tenantScope();
    const poison = sampleEvent('vigil.challenge.created', scope.user);
    const after = sampleEvent('vigil.challenge.cancelled', scope.user);
    let attempts = 0;
    await consume(`group-${randomUUID()}`, async (event) => {
      if (!scope.mine(event)) return;
      if (event.id === poison.id) {
        attempts += 1;
        throw new Error('downstream keeps failing');
      }
      scope.seen.push(event);
    }, { maxAttempts: 3 });
    await producer.publish(poison, after);
    await waitFor(() => scope.seen.some((event) => event.id === after.id), { what: 'the event after the poison one' });
    expect(attempts).toBe(3);
    const [parked] = await readDlq(dlqTopic(TOPICS.challenges), (message) => message.value?.toString().includes(poison.id) ?? false, 1);
    expect(parked?.headers?.['error-kind']?.toString()).toBe('failed');
    expect(parked?.headers?.['error']?.toString()).toContain('downstream keeps failing');
  });

  it('retries a handler whose dependency is down until it is back, past the attempt budget, and parks nothing', async () => {
    const scope = tenantScope();
    const event = sampleEvent('vigil.challenge.created', scope.user);
    // A Redis client to a port where nothing listens: the handler fails exactly as it would during an outage.
    const down = new Redis({ port: 1, lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    down.on('error', () => undefined);
    let attempts = 0;
    const retrying: boolean[] = [];
    await consume(`group-${randomUUID()}`, async (received) => {
      if (received.id !== event.id) return;
      attempts += 1;
      if (attempts <= 8) await down.get('anything');
      scope.seen.push(received);
    }, { maxAttempts: 3, onRetrying: (now) => void retrying.push(now) });
    await producer.publish(event);
    await waitFor(() => scope.seen.length === 1, { what: 'the handler to get through', timeoutMs: 30_000 });
    expect(attempts).toBe(9);
    expect(retrying).toEqual([true, false]);
    const parked: KafkaMessage[] = [];
    const reader = kafka.consumer({ groupId: `dlq-reader-${randomUUID()}` });
    await reader.connect();
    await reader.subscribe({ topic: dlqTopic(TOPICS.challenges), fromBeginning: true });
    await reader.run({ eachMessage: async ({ message }) => void (message.value?.toString().includes(event.id) && parked.push(message)) });
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await reader.disconnect();
    expect(parked).toHaveLength(0);
  });

  it('sends a permanent failure to the DLQ without retrying', async () => {
    const scope = tenantScope();
    const event = sampleEvent('vigil.challenge.expired', scope.user);
    let attempts = 0;
    await consume(`group-${randomUUID()}`, async (received) => {
      if (received.id !== event.id) return;
      attempts += 1;
      throw new PermanentHandlerError('challenge belongs to no known device');
    });
    await producer.publish(event);
    await readDlq(dlqTopic(TOPICS.challenges), (message) => message.value?.toString().includes(event.id) ?? false, 1);
    expect(attempts).toBe(1);
  });

  it('handles a redelivered event id once', async () => {
    const scope = tenantScope();
    const processed = redisProcessedEvents(redis, { namespace: `test:${randomUUID()}` });
    await consume(`group-${randomUUID()}`, async (event) => void (scope.mine(event) && scope.seen.push(event)), { processed });
    const event = sampleEvent('vigil.challenge.created', scope.user);
    const marker = sampleEvent('vigil.challenge.cancelled', scope.user);
    await producer.publish(event);
    await producer.publish(event, marker);
    await waitFor(() => scope.seen.some((seen) => seen.id === marker.id), { what: 'the marker event' });
    expect(scope.seen.filter((seen) => seen.id === event.id)).toHaveLength(1);
  });

  it('does not handle committed messages again after a restart, and finishes the message in hand on stop', async () => {
    const scope = tenantScope();
    const groupId = `group-${randomUUID()}`;
    const first = sampleEvent('vigil.challenge.created', scope.user);
    const slow = sampleEvent('vigil.challenge.cancelled', scope.user);
    let slowFinished = false;
    let slowStarted = false;
    const consumer = await consume(groupId, async (event) => {
      if (!scope.mine(event)) return;
      if (event.id === slow.id) {
        slowStarted = true;
        await new Promise((resolve) => setTimeout(resolve, 500));
        slowFinished = true;
      }
      scope.seen.push(event);
    });
    await producer.publish(first, slow);
    await waitFor(() => slowStarted, { what: 'the slow handler to start' });
    await consumer.stop();
    expect(slowFinished).toBe(true);

    const third = sampleEvent('vigil.challenge.expired', scope.user);
    await producer.publish(third);
    const afterRestart: VigilEvent[] = [];
    await consume(groupId, async (event) => void (scope.mine(event) && afterRestart.push(event)));
    await waitFor(() => afterRestart.some((event) => event.id === third.id), { what: 'the event published while stopped' });
    expect(afterRestart.map((event) => event.id)).toEqual([third.id]);
  });

  it('a new group reading "from now" keeps its starting point: what is published before its next start is read', async () => {
    const scope = tenantScope();
    const groupId = `group-${randomUUID()}`;
    // The first instance joins and leaves having handled nothing: kafkajs commits nothing for it.
    const quiet = await consume(groupId, async () => {}, { fromBeginning: false, processed: redisProcessedEvents(redis, { namespace: `test:${randomUUID()}` }) });
    await quiet.stop();
    const published = sampleEvent('vigil.challenge.created', scope.user);
    await producer.publish(published);
    // Without the offsets fixed at the group's first start, this instance would begin at "latest" and skip it.
    const seen: VigilEvent[] = [];
    await consume(groupId, async (event) => void (scope.mine(event) && seen.push(event)), { fromBeginning: false });
    await waitFor(() => seen.some((event) => event.id === published.id), { what: 'the event published between the two starts' });
  });
});
