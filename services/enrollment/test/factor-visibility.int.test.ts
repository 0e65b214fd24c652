import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@vigil/config';
import { TOPICS, eventKey } from '@vigil/events';
import { createMetricsRegistry, parseApiKeys, staticApiKeys } from '@vigil/http';
import { EventProducer, createKafka, ensureTopics, runConsumer, type RunningConsumer } from '@vigil/kafka';
import { createLogger } from '@vigil/logger';
import { VigilDevice, generateDeviceKeys, signRequest, totpCode } from '@vigil/device-sdk';
import { freePort, waitFor, whileProducerDown } from '@vigil/testkit';
import { testInfra } from '@vigil/testkit/vitest';
import { assembleEnrollment, type EnrollmentService } from '../src/assemble.ts';
import { serviceSpec } from '../src/config.ts';

// CONTRACT §2 and §8 for factor changes, with a real reader group: a change answers only once the reader has applied
// it; a reader that cannot keep up turns the answer into 503, and the repeat converges; a change whose snapshot could
// not be published (Kafka gone) is published by the repair sweep.

const infra = testInfra();
const tenant = `t${randomUUID().slice(0, 8)}`;
const ADMIN = `admin-${randomUUID()}`;
const log = createLogger({ name: 'factor-visibility', level: 'silent' });
const redis = new Redis(infra.redisUrl);
const mongo = mongoose.createConnection(infra.mongoUrl.replace('/vigil?', `/ryw-${tenant}?`));
const kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: 'factor-visibility', log });
const producer = new EventProducer(kafka);
const readerGroup = `ryw-reader-${tenant}`;
// What the reader has applied: the device of each user (null: none), as a projection would hold it.
const applied = new Map<string, string | null>();
let readerDelayMs = 0;
let reader: RunningConsumer;
let service: EnrollmentService;
let consumers: RunningConsumer;
let baseUrl = '';

async function api(method: string, path: string, body?: unknown) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as Record<string, unknown> };
}

/** Runs `work` while the reader takes 2.5 s per factors record: longer than the writer may wait. */
async function withSlowReader<T>(work: () => Promise<T>): Promise<T> {
  readerDelayMs = 2_500;
  try {
    return await work();
  } finally {
    readerDelayMs = 0;
  }
}

async function activate(userId: string): Promise<VigilDevice> {
  const started = await api('POST', `/v1/users/${userId}/push-enrollments`, { replace: true });
  expect(started.status).toBe(201);
  return VigilDevice.activate(String(started.body['activationUri']), { platform: 'web', pushToken: null });
}

beforeAll(async () => {
  await mongo.asPromise();
  await ensureTopics(kafka, { partitions: 3, replicationFactor: 1 });
  await producer.connect();
  reader = await runConsumer({
    kafka, producer, log, groupId: readerGroup, topics: [TOPICS.factors], fromBeginning: true, commitAtOnce: [TOPICS.factors],
    processed: { has: async () => false, add: async () => undefined },
    handle: async (event) => {
      if (event.type !== 'vigil.factors.snapshot' || event.data.tenantId !== tenant) return;
      if (readerDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, readerDelayMs));
      applied.set(eventKey(tenant, event.data.userId), event.data.push?.deviceId ?? null);
    },
    handleTombstone: async (key) => {
      if (!key.startsWith(`${tenant}:`)) return;
      if (readerDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, readerDelayMs));
      applied.set(key, null);
    },
  });
  await reader.joined;
  const port = await freePort();
  const config = loadConfig(serviceSpec, {
    ENROLLMENT_PORT: String(port),
    VIGIL_SERVER_SIGNING_KEY: randomBytes(32).toString('base64url'),
    VIGIL_SECRET_KEYS: `k1:${randomBytes(32).toString('base64url')}`,
    READ_YOUR_WRITES_GROUPS: readerGroup,
    READ_YOUR_WRITES_TIMEOUT_MS: '1500',
    FACTORS_REPAIR_AFTER_MS: '1000',
  });
  service = await assembleEnrollment({
    config, redis, mongo, kafka, producer, log, apiKeys: staticApiKeys(parseApiKeys(`${tenant}:admin:${ADMIN}`)),
    readiness: [], metrics: createMetricsRegistry('enrollment'), groupId: `enrollment-${tenant}`,
  });
  await service.app.listen({ port, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${port}`;
  consumers = await service.startConsumers();
});

afterAll(async () => {
  await consumers.stop();
  await service.app.close();
  await reader.stop();
  await producer.disconnect();
  await mongo.close();
  redis.disconnect();
});

describe('factor changes are visible when they answer', () => {
  it('has the reader apply an activation and a revocation before either answers', async () => {
    for (let trial = 0; trial < 10; trial += 1) {
      const userId = `ann${trial}`;
      const device = await activate(userId);
      expect(applied.get(eventKey(tenant, userId))).toBe(device.deviceId);
      expect((await api('DELETE', `/v1/users/${userId}/push-device`)).status).toBe(204);
      expect(applied.get(eventKey(tenant, userId))).toBeNull();
    }
  });

  it('answers 503 when the reader cannot apply a revocation in time; the repeat answers 204 once it holds', async () => {
    const device = await activate('ben');
    expect(applied.get(eventKey(tenant, 'ben'))).toBe(device.deviceId);
    const first = await withSlowReader(() => api('DELETE', '/v1/users/ben/push-device'));
    expect(first.status).toBe(503);
    expect(first.body['code']).toBe('unavailable');
    const repeat = await api('DELETE', '/v1/users/ben/push-device');
    expect(repeat.status).toBe(204);
    expect(applied.get(eventKey(tenant, 'ben'))).toBeNull();
  });

  it('answers a repeated activation and TOTP confirm as the first time, after a 503', async () => {
    const started = await api('POST', '/v1/users/dora/push-enrollments', {});
    const keys = await generateDeviceKeys();
    const activateOnce = async () => {
      const body = JSON.stringify({ activationCode: started.body['activationCode'], publicKey: keys.publicKey, platform: 'web' });
      const headers = await signRequest(keys, { method: 'POST', pathWithQuery: '/v1/enrollments/activate', body });
      const response = await fetch(`${baseUrl}/v1/enrollments/activate`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const first = await withSlowReader(() => activateOnce());
    expect(first.status).toBe(503);
    const repeat = await activateOnce();
    expect(repeat.status).toBe(201);
    expect(applied.get(eventKey(tenant, 'dora'))).toBe(repeat.body['deviceId']);
    // Another key with the spent code is still refused.
    const other = await generateDeviceKeys();
    const body = JSON.stringify({ activationCode: started.body['activationCode'], publicKey: other.publicKey, platform: 'web' });
    const headers = await signRequest(other, { method: 'POST', pathWithQuery: '/v1/enrollments/activate', body });
    expect((await fetch(`${baseUrl}/v1/enrollments/activate`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body })).status).toBe(410);

    const totp = await api('POST', '/v1/users/dora/totp-enrollments', {});
    const secret = String(totp.body['secret']);
    const confirm = () => api('POST', `/v1/users/dora/totp-enrollments/${totp.body['enrollmentId']}/confirm`, { code: totpCode(secret) });
    const confirmed = await withSlowReader(() => confirm());
    expect(confirmed.status).toBe(503);
    const again = await confirm();
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ confirmed: true });
  });

  it('publishes a change whose snapshot could not reach Kafka, without any repeat (the repair sweep)', async () => {
    const device = await activate('cleo');
    expect(applied.get(eventKey(tenant, 'cleo'))).toBe(device.deviceId);
    const first = await whileProducerDown(producer, () => api('DELETE', '/v1/users/cleo/push-device'));
    expect(first.status).toBe(503);
    // The device is gone in MongoDB; the reader learns it from the sweep, not from anything the admin does.
    await waitFor(() => applied.get(eventKey(tenant, 'cleo')) === null || undefined, { what: 'the repaired revocation', timeoutMs: 15_000 });
    expect((await api('GET', '/v1/users/cleo/factors')).body['push']).toBeNull();
  });
});
