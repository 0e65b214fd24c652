import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dlqTopic, encodeEvent } from '@vigil/events';
import { EventProducer, createKafka } from '@vigil/kafka';
import { createLogger } from '@vigil/logger';
import { sampleEvent, waitFor } from '@vigil/testkit';
import { testInfra } from '@vigil/testkit/vitest';

const root = resolve(import.meta.dirname, '../..');
const infra = testInfra();
const log = createLogger({ name: 'dlq-test', level: 'silent' });
const kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: 'dlq-test', log });
const admin = kafka.admin();
const producer = new EventProducer(kafka);
const run = promisify(execFile);

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const NOTIFICATION = 'vigil-notification-test';
const ANOMALY = 'vigil-anomaly-test';

/** The CLI as an operator runs it; it must exit by itself. */
async function dlq(...args: string[]): Promise<string> {
  const env = { ...process.env, KAFKA_BROKERS: infra.kafkaBrokers.join(',') };
  const { stdout } = await run(process.execPath, ['tools/dlq/dlq.ts', ...args], { cwd: root, env, timeout: 90_000 });
  return stdout;
}

type Message = { key: Buffer; value: Buffer; headers: Record<string, string> };

/** What the consumer runner writes to the DLQ: the message as it was, plus where it came from and why it died. */
function parked(message: Message, death: { topic: string; group: string; kind: string; error: string; partition: number; offset: string }) {
  return {
    ...message,
    headers: {
      ...message.headers,
      error: death.error,
      'error-kind': death.kind,
      'original-topic': death.topic,
      'original-partition': String(death.partition),
      'original-offset': death.offset,
      'original-timestamp': String(Date.now()),
      'consumer-group': death.group,
    },
  };
}

/**
 * A topic of its own with its DLQ, holding two dead letters parked as the consumer runner parks them: a valid event
 * whose handler failed in one group, and bytes that are not a valid event, in another.
 */
async function topicWithTwoDeadLetters() {
  const topic = `dlq-test-${randomUUID().slice(0, 8)}.v1`;
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 2 }, { topic: dlqTopic(topic), numPartitions: 1 }] });
  const tenantId = `t-${randomUUID().slice(0, 8)}`;
  const event = sampleEvent('vigil.challenge.created', { tenantId, userId: 'alice' });
  const failed: Message = {
    key: Buffer.from(`${tenantId}:alice`),
    value: encodeEvent(event),
    headers: { 'content-type': 'application/cloudevents+json', traceparent: TRACEPARENT },
  };
  const invalid: Message = {
    key: Buffer.from(`${tenantId}:bob`),
    value: Buffer.from(`{"specversion":"1.0","id":"bad-${tenantId}","type":"vigil.challenge.created","data":{"numberMatch":"abc"}}`),
    headers: { 'content-type': 'application/cloudevents+json' },
  };
  await producer.sendRaw(dlqTopic(topic), [
    parked(failed, { topic, group: NOTIFICATION, kind: 'failed', error: 'PermanentHandlerError: no device for alice', partition: 1, offset: '17' }),
    parked(invalid, { topic, group: ANOMALY, kind: 'invalid', error: '/data/numberMatch must be integer', partition: 0, offset: '3' }),
  ]);
  return { topic, tenantId, event, failed, invalid };
}

async function recordsOn(topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, entry) => sum + Number(entry.high), 0);
}

async function readAll(topic: string, count: number) {
  const found: { key: Buffer | null; value: Buffer | null; headers: Record<string, string> }[] = [];
  const consumer = kafka.consumer({ groupId: `dlq-test-reader-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]));
      found.push({ key: message.key, value: message.value, headers });
    },
  });
  try {
    await waitFor(() => found.length >= count, { what: `${count} records on ${topic}` });
    return found;
  } finally {
    await consumer.disconnect();
  }
}

const jsonLines = (stdout: string) => stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);

beforeAll(async () => {
  await admin.connect();
  await producer.connect();
});

afterAll(async () => {
  await producer.disconnect();
  await admin.disconnect();
});

describe('npm run dlq', () => {
  it('lists both dead letters with where they came from, why they died and the event they carry', async () => {
    const { topic, tenantId, event } = await topicWithTwoDeadLetters();

    const letters = jsonLines(await dlq('list', topic, '--json'));
    expect(letters).toEqual([
      expect.objectContaining({
        dlqOffset: '0', originalTopic: topic, originalPartition: 1, originalOffset: '17', consumerGroup: NOTIFICATION, errorKind: 'failed',
        eventType: 'vigil.challenge.created', eventId: event.id, error: 'PermanentHandlerError: no device for alice', replayed: false,
      }),
      expect.objectContaining({
        dlqOffset: '1', originalPartition: 0, originalOffset: '3', consumerGroup: ANOMALY, errorKind: 'invalid', eventId: `bad-${tenantId}`, replayed: false,
      }),
    ]);

    const text = await dlq('list', dlqTopic(topic));
    expect(text).toContain(`${dlqTopic(topic)}: 2 dead letters, 0 replayed`);
    expect(text).toContain(`0:0  pending   ${topic}/1@17  group=${NOTIFICATION}  kind=failed  vigil.challenge.created id=${event.id}`);
    expect(text).toContain(`0:1  pending   ${topic}/0@3  group=${ANOMALY}  kind=invalid`);
  });

  it('replays to the original topic with the original bytes and without the DLQ headers, and a second replay publishes nothing', async () => {
    const { topic, failed, invalid } = await topicWithTwoDeadLetters();

    // These letters were written straight to the DLQ (their originals were never on the topic): --unverified.
    expect(await dlq('replay', topic, '--unverified')).toContain(`replayed 2 dead letters to ${topic}`);
    const records = await readAll(topic, 2);
    const byKey = (key: Buffer) => records.find((record) => record.key?.equals(key));
    expect(byKey(failed.key)?.value?.equals(failed.value)).toBe(true);
    expect(byKey(failed.key)?.headers).toEqual(failed.headers);
    expect(byKey(invalid.key)?.value?.equals(invalid.value)).toBe(true);
    expect(byKey(invalid.key)?.headers).toEqual(invalid.headers);

    expect(await dlq('replay', `${topic}.dlq`, '--unverified')).toContain('replayed 0 dead letters');
    expect(await recordsOn(topic)).toBe(2);
    expect(jsonLines(await dlq('list', topic, '--json')).map((letter) => letter['replayed'])).toEqual([true, true]);
  });

  it('replays only the letters of one consumer group with --group, and nothing with --dry-run', async () => {
    const { topic, failed, invalid } = await topicWithTwoDeadLetters();

    const dryRun = await dlq('replay', topic, '--group', NOTIFICATION, '--dry-run', '--unverified');
    expect(dryRun).toContain('would replay 1 dead letter ');
    expect(dryRun).toContain(`group=${NOTIFICATION}`);
    expect(await recordsOn(topic)).toBe(0);

    expect(await dlq('replay', topic, '--group', NOTIFICATION, '--unverified')).toContain('replayed 1 dead letter ');
    const [replayed] = await readAll(topic, 1);
    expect(replayed?.value?.equals(failed.value)).toBe(true);
    expect(await recordsOn(topic)).toBe(1);
    expect(jsonLines(await dlq('list', topic, '--json')).map((letter) => [letter['consumerGroup'], letter['replayed']])).toEqual([[NOTIFICATION, true], [ANOMALY, false]]);

    // The all-letters replay skips what the group replay published.
    expect(await dlq('replay', topic, '--unverified')).toContain('replayed 1 dead letter ');
    const records = await readAll(topic, 2);
    expect(records.some((record) => record.value?.equals(invalid.value))).toBe(true);
    expect(await recordsOn(topic)).toBe(2);
  });

  it('replays a letter whose original is on the topic, and refuses one planted in the DLQ', async () => {
    const topic = `dlq-test-${randomUUID().slice(0, 8)}.v1`;
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }, { topic: dlqTopic(topic), numPartitions: 1 }] });
    const tenantId = `t-${randomUUID().slice(0, 8)}`;
    const genuine: Message = { key: Buffer.from(`${tenantId}:alice`), value: encodeEvent(sampleEvent('vigil.challenge.created', { tenantId, userId: 'alice' })), headers: {} };
    // A service that may write the DLQ (it parks what it reads) plants a snapshot it could never publish itself.
    const planted: Message = { key: Buffer.from(`${tenantId}:mallory`), value: encodeEvent(sampleEvent('vigil.factors.snapshot', { tenantId, userId: 'mallory' })), headers: {} };
    await producer.sendRaw(topic, [genuine]);
    await producer.sendRaw(dlqTopic(topic), [
      parked(genuine, { topic, group: NOTIFICATION, kind: 'failed', error: 'Error: boom', partition: 0, offset: '0' }),
      parked(planted, { topic, group: NOTIFICATION, kind: 'failed', error: 'Error: boom', partition: 0, offset: '1' }),
    ]);

    const output = await dlq('replay', topic);
    expect(output).toContain(`replayed 1 dead letter to ${topic}`);
    expect(output).toContain('1 dead letter not replayed: the original message is not on');
    const records = await readAll(topic, 2);
    expect(records.filter((record) => record.value?.equals(genuine.value))).toHaveLength(2);
    expect(records.some((record) => record.value?.equals(planted.value))).toBe(false);
    expect(await recordsOn(topic)).toBe(2);
  });

  it('says so when a topic has no DLQ', async () => {
    await expect(dlq('list', `no-such-${randomUUID().slice(0, 8)}.v1`)).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('no topic') });
  });
});
