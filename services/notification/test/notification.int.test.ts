import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '@vigil/config';
import { TOPICS, createEvent, decodeEvent, type VigilEvent } from '@vigil/events';
import { createMetricsRegistry, staticApiKeys } from '@vigil/http';
import { EventProducer, createKafka, ensureTopics } from '@vigil/kafka';
import { createLogger } from '@vigil/logger';
import { FCM_ERRORS, freePort, startFakeFcm, waitFor, type FakeFcm } from '@vigil/testkit';
import { testInfra } from '@vigil/testkit/vitest';
import { assembleNotification } from '../src/assemble.ts';
import { serviceSpec } from '../src/config.ts';

const infra = testInfra();
const tenant = `t${randomUUID().slice(0, 8)}`;
const log = createLogger({ name: 'notification-test', level: 'silent' });
const redis = new Redis(infra.redisUrl);
const kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: 'notification-test', log });
const producer = new EventProducer(kafka);
const events: VigilEvent[] = [];
const reader = kafka.consumer({ groupId: `notification-events-${tenant}` });
let fcm: FakeFcm;
let baseUrl = '';
let stop: () => Promise<void> = async () => {};
let version = 1;

async function device(userId: string, options: { pushToken: string | null }) {
  const deviceId = randomUUID();
  const now = new Date().toISOString();
  await producer.publish(createEvent('vigil.factors.snapshot', {
    tenantId: tenant, userId, version: version++, updatedAt: now, totp: null,
    push: { deviceId, publicKey: 'A'.repeat(43), platform: 'android', channel: options.pushToken ? 'fcm' : 'poll', pushToken: options.pushToken, deviceName: null, enrolledAt: now },
  }, { source: 'urn:vigil:enrollment' }));
  await waitFor(async () => (await redis.hget(`notification:device:{${tenant}:${userId}}`, 'd')) === deviceId, { what: 'the device channel' });
  return deviceId;
}

function challenge(userId: string, deviceId: string, ttlMs = 60_000, delivery: 'push' | 'quiet' = 'push') {
  return createEvent('vigil.challenge.created', {
    tenantId: tenant, userId, challengeId: randomUUID(), deviceId, numberMatch: '428193', numberMatchDigits: 6,
    createdAt: new Date().toISOString(), expiresAt: new Date(Date.now() + ttlMs).toISOString(),
    context: { ip: '198.51.100.7', userAgent: 'Firefox', application: 'payroll', location: { city: 'Oslo' } },
    delivery, ...(delivery === 'quiet' ? { quietReason: 'user_per_minute' as const } : {}),
  }, { source: 'urn:vigil:challenge' });
}

const sendsFor = (challengeId: string) => fcm.requests.filter((request) => (request.message['data'] as Record<string, string>)['challengeId'] === challengeId);
const eventFor = (type: string, challengeId: string) => events.find((event) => event.type === type && (event.data as { challengeId?: string }).challengeId === challengeId);

beforeAll(async () => {
  await ensureTopics(kafka, { partitions: 3, replicationFactor: 1 });
  await producer.connect();
  fcm = await startFakeFcm();
  const port = await freePort();
  const config = loadConfig(serviceSpec, { NOTIFICATION_PORT: String(port), FCM_RETRY_BASE_MS: '50', FCM_RETRY_MAX_MS: '400', NOTIFICATION_CONCURRENCY: '8' });
  const service = assembleNotification({
    config, redis, kafka, producer, log, readiness: [], metrics: createMetricsRegistry('notification'), apiKeys: staticApiKeys(new Map()),
    fcm: { credential: fcm.credential(), projectId: 'vigil-test', httpAgent: fcm.agent() }, groupId: `notification-${tenant}`,
  });
  const running = await service.start();
  await service.app.listen({ port, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${port}`;
  stop = async () => { await service.app.close(); await running.stop(); };
  await reader.connect();
  await reader.subscribe({ topic: TOPICS.notifications, fromBeginning: true });
  await reader.run({ eachMessage: async ({ message }) => {
    const decoded = message.value && decodeEvent(message.value);
    if (decoded && decoded.ok && (decoded.event.data as { tenantId: string }).tenantId === tenant) events.push(decoded.event);
  } });
});

afterAll(async () => {
  await stop();
  await reader.disconnect();
  await producer.disconnect();
  await fcm.stop();
  redis.disconnect();
});

beforeEach(() => fcm.reply(() => ({ kind: 'ok' })));

describe('FCM dispatch', () => {
  it('sends exactly the contract payload through firebase-admin and reports the latency', async () => {
    const deviceId = await device('alice', { pushToken: 'fcm-token-a1' });
    const event = challenge('alice', deviceId);
    await producer.publish(event);
    const [request] = await waitFor(() => sendsFor(event.data.challengeId).length > 0 && sendsFor(event.data.challengeId), { what: 'the push' });
    expect(request?.projectId).toBe('vigil-test');
    expect(request?.authorization).toMatch(/^Bearer fake-access-token-\d+$/);
    expect(request?.message['token']).toBe('fcm-token-a1');
    expect(request?.message['data']).toEqual({ type: 'vigil.challenge', challengeId: event.data.challengeId, tenantId: tenant });
    expect(request?.message['android']).toMatchObject({ priority: 'high', ttl: expect.stringMatching(/^\d+(\.\d+)?s$/) });
    expect((request?.message['apns'] as { headers: Record<string, string> }).headers['apns-expiration']).toBe(String(Math.floor(Date.parse(event.data.expiresAt) / 1000)));
    const text = JSON.stringify(request?.message);
    for (const secret of ['alice', '"42"', '198.51.100.7', 'payroll', 'Oslo', 'Firefox']) expect(text).not.toContain(secret);
    const sent = await waitFor(() => eventFor('vigil.notification.sent', event.data.challengeId), { what: 'the sent event' });
    expect(sent.data).toMatchObject({ attempts: 1, deviceId, latencyMs: expect.any(Number) });
    expect(JSON.stringify(sent)).not.toContain('fcm-token-a1');
  });

  it('reports an unregistered token without retrying', async () => {
    const deviceId = await device('bob', { pushToken: 'fcm-token-bob' });
    fcm.reply(() => FCM_ERRORS.unregistered);
    const event = challenge('bob', deviceId);
    await producer.publish(event);
    const invalid = await waitFor(() => eventFor('vigil.notification.token-invalid', event.data.challengeId), { what: 'token-invalid' });
    expect(invalid.data).toMatchObject({ deviceId, errorCode: 'messaging/registration-token-not-registered' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sendsFor(event.data.challengeId)).toHaveLength(1);
  });

  it('gives up at once on a permanent error', async () => {
    const deviceId = await device('carol', { pushToken: 'fcm-token-carol' });
    fcm.reply(() => FCM_ERRORS.invalidArgument);
    const event = challenge('carol', deviceId);
    await producer.publish(event);
    const failed = await waitFor(() => eventFor('vigil.notification.failed', event.data.challengeId), { what: 'failed' });
    expect(failed.data).toMatchObject({ attempts: 1, retryable: false, errorCode: 'messaging/invalid-argument' });
  });

  it('retries INTERNAL and 429 (honouring Retry-After) until FCM accepts', async () => {
    const deviceId = await device('dave', { pushToken: 'fcm-token-dave' });
    fcm.reply((_request, attempt) => (attempt === 1 ? FCM_ERRORS.internal : attempt === 2 ? { ...FCM_ERRORS.quotaExceeded, retryAfterSeconds: 1 } : { kind: 'ok' }));
    const event = challenge('dave', deviceId);
    await producer.publish(event);
    const sent = await waitFor(() => eventFor('vigil.notification.sent', event.data.challengeId), { what: 'the sent event' });
    expect(sent.data).toMatchObject({ attempts: 3 });
    const [, second, third] = sendsFor(event.data.challengeId);
    expect((third?.receivedAt ?? 0) - (second?.receivedAt ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('rides out UNAVAILABLE (503), which firebase-admin itself retries with backoff', async () => {
    const deviceId = await device('uma', { pushToken: 'fcm-token-u1' });
    fcm.reply((_request, attempt) => (attempt <= 2 ? FCM_ERRORS.unavailable : { kind: 'ok' }));
    const event = challenge('uma', deviceId);
    await producer.publish(event);
    await waitFor(() => eventFor('vigil.notification.sent', event.data.challengeId), { timeoutMs: 20_000, what: 'the sent event' });
    expect(sendsFor(event.data.challengeId)).toHaveLength(3);
  });

  it('never retries past the challenge expiry, and never sends a push with under a second to live', async () => {
    const deviceId = await device('erin', { pushToken: 'fcm-token-erin' });
    fcm.reply(() => FCM_ERRORS.internal);
    const event = challenge('erin', deviceId, 2_500);
    await producer.publish(event);
    const failed = await waitFor(() => eventFor('vigil.notification.failed', event.data.challengeId), { what: 'failed' });
    expect(failed.data).toMatchObject({ retryable: true });
    const sends = sendsFor(event.data.challengeId);
    expect(sends.length).toBeGreaterThan(1);
    // FCM rounds a TTL down to whole seconds: every attempt left the push a second at least.
    for (const send of sends) expect(Number(String((send.message['android'] as { ttl: string }).ttl).replace('s', ''))).toBeGreaterThanOrEqual(0.9);
    expect(sends.at(-1)?.receivedAt ?? Infinity).toBeLessThan(Date.parse(event.data.expiresAt) - 900);
    // A challenge that reaches the service with under a second left is not pushed at all.
    const late = challenge('erin', deviceId, 800);
    const marker = challenge('alice', await device('alice', { pushToken: 'fcm-token-a1' }));
    fcm.reply(() => ({ kind: 'ok' }));
    await producer.publish(late, marker);
    await waitFor(() => eventFor('vigil.notification.sent', marker.data.challengeId), { what: 'a later push' });
    expect(sendsFor(late.data.challengeId)).toHaveLength(0);
  });

  it('never pushes twice when Kafka fails right after FCM accepted, and still announces the push', async () => {
    const deviceId = await device('gina', { pushToken: 'fcm-token-gina' });
    const event = challenge('gina', deviceId);
    let outage: Promise<void> | null = null;
    // FCM accepts; at that moment Kafka goes away, so the outcome cannot be published by the dispatch itself.
    fcm.reply(() => {
      outage ??= producer.disconnect();
      return { kind: 'ok' };
    });
    await producer.publish(event);
    await waitFor(() => outage, { what: 'the push to reach FCM' });
    await outage;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await producer.connect();
    await producer.publish(event); // a redelivery, as after a rebalance
    const sent = await waitFor(() => eventFor('vigil.notification.sent', event.data.challengeId), { what: 'the relayed sent event', timeoutMs: 15_000 });
    expect(sent.data).toMatchObject({ attempts: 1, deviceId });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(sendsFor(event.data.challengeId)).toHaveLength(1);
    expect(events.filter((seen) => seen.type === 'vigil.notification.failed' && (seen.data as { challengeId: string }).challengeId === event.data.challengeId)).toHaveLength(0);
  });

  it('sends once for a redelivered event', async () => {
    const deviceId = await device('frank', { pushToken: 'fcm-token-frank' });
    const event = challenge('frank', deviceId);
    await producer.publish(event);
    await producer.publish(event);
    await waitFor(() => eventFor('vigil.notification.sent', event.data.challengeId), { what: 'the sent event' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sendsFor(event.data.challengeId)).toHaveLength(1);
  });

  it('sends nothing to a poll-mode device', async () => {
    const deviceId = await device('gina', { pushToken: null });
    const event = challenge('gina', deviceId);
    const marker = challenge('alice', await device('alice', { pushToken: 'fcm-token-a1' }));
    await producer.publish(event, marker);
    await waitFor(() => eventFor('vigil.notification.sent', marker.data.challengeId), { what: 'a later push' });
    expect(sendsFor(event.data.challengeId)).toHaveLength(0);
  });

  it('sends no FCM message for a quiet challenge, even to an FCM device (CONTRACT §5 v2)', async () => {
    const deviceId = await device('hugo', { pushToken: 'fcm-token-h1' });
    const quiet = challenge('hugo', deviceId, 60_000, 'quiet');
    const pushed = challenge('hugo', deviceId);
    await producer.publish(quiet, pushed);
    await waitFor(() => eventFor('vigil.notification.sent', pushed.data.challengeId), { what: 'the pushed challenge\'s push' });
    expect(sendsFor(quiet.data.challengeId)).toHaveLength(0);
    expect(eventFor('vigil.notification.sent', quiet.data.challengeId)).toBeUndefined();
  });

  it('dispatches 1,000 challenges with bounded concurrency', async () => {
    const users = await Promise.all(Array.from({ length: 30 }, (_, i) => device(`load-${i}`, { pushToken: `tok-${i}` }).then((deviceId) => ({ userId: `load-${i}`, deviceId }))));
    fcm.reply(() => ({ kind: 'delay', ms: 5, then: { kind: 'ok' } }));
    const batch = Array.from({ length: 1_000 }, (_, i) => challenge(users[i % 30]?.userId ?? '', users[i % 30]?.deviceId ?? ''));
    const started = Date.now();
    await producer.publish(...batch);
    await waitFor(() => batch.every((event) => eventFor('vigil.notification.sent', event.data.challengeId)), { timeoutMs: 60_000, what: '1,000 pushes' });
    const seconds = (Date.now() - started) / 1000;
    const latencies = batch.map((event) => (eventFor('vigil.notification.sent', event.data.challengeId)?.data as { latencyMs: number }).latencyMs).sort((a, b) => a - b);
    console.info(`1,000 pushes in ${seconds.toFixed(2)} s (${Math.round(1_000 / seconds)}/s), created→sent p99 ${latencies[Math.floor(latencies.length * 0.99)]} ms, max in flight ${fcm.maxInFlight}`);
    // 8 per partition, at most 4 partitions at once.
    expect(fcm.maxInFlight).toBeLessThanOrEqual(32);
    expect(fcm.maxInFlight).toBeGreaterThan(3);
  });

  it('sent only messages FCM v1 accepts; the fake refuses one it would not, as FCM does', async () => {
    expect(fcm.invalidMessages).toEqual([]);
    expect(fcm.requests.length).toBeGreaterThan(0);
    const refused = await fetch(`http://127.0.0.1:${fcm.port}/v1/projects/vigil-test/messages:send`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: { token: 't', data: { n: 1 }, android: { ttl: 0 } } }),
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { status: 'INVALID_ARGUMENT' } });
  });

  it('says in /readyz that it can push', async () => {
    expect(await (await fetch(`${baseUrl}/readyz`)).json()).toMatchObject({ details: { fcm: 'fcm' } });
  });
});
