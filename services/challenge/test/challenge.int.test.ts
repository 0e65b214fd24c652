import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@vigil/config';
import { TOPICS, createEvent, decodeEvent, type EventData, type VigilEvent } from '@vigil/events';
import { createMetricsRegistry, parseApiKeys, staticApiKeys } from '@vigil/http';
import { EventProducer, createKafka, ensureTopics } from '@vigil/kafka';
import { createLogger } from '@vigil/logger';
import { freePort, sampleData, startLocalRedis, waitFor, whileProducerDown } from '@vigil/testkit';
import { testInfra } from '@vigil/testkit/vitest';
import { connectRedis } from '@vigil/runtime';
import { assembleChallenge } from '../src/assemble.ts';
import { serviceSpec } from '../src/config.ts';

const infra = testInfra();
const tenant = `t${randomUUID().slice(0, 8)}`;
const AUTH = `auth-${randomUUID()}`;
const OTHER_AUTH = `auth-${randomUUID()}`;
const ADMIN = `admin-${randomUUID()}`;
const log = createLogger({ name: 'challenge-test', level: 'silent' });
const kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: 'challenge-test', log });
const producer = new EventProducer(kafka);
const events: VigilEvent[] = [];
const eventReader = kafka.consumer({ groupId: `challenge-events-${tenant}` });
const instances: { url: string; stop(): Promise<void> }[] = [];
let redisServer: Awaited<ReturnType<typeof startLocalRedis>>;
let probe: Redis;

async function startInstance(redisUrl: string) {
  const port = await freePort();
  const config = loadConfig(serviceSpec, { CHALLENGE_PORT: String(port), CHALLENGE_TTL_SECONDS: '3', EXPIRY_SWEEP_INTERVAL_MS: '50' });
  const redis = connectRedis(redisUrl, log);
  const service = await assembleChallenge({
    config, redis, kafka, producer, log, readiness: [], metrics: createMetricsRegistry('challenge'),
    apiKeys: staticApiKeys(parseApiKeys(`${tenant}:auth:${AUTH},${tenant}:admin:${ADMIN},${tenant}x:auth:${OTHER_AUTH}`)),
    groupId: `challenge-${tenant}`,
  });
  const running = await service.start();
  await service.app.listen({ port, host: '127.0.0.1' });
  instances.push({ url: `http://127.0.0.1:${port}`, stop: async () => { await service.app.close(); await running.stop(); redis.disconnect(); } });
}

async function call(method: string, path: string, body?: unknown, options: { instance?: number; key?: string; headers?: Record<string, string> } = {}) {
  const base = instances[options.instance ?? 0]?.url ?? '';
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${options.key ?? AUTH}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : null) as Record<string, unknown> & { code?: string } };
}

const create = (userId: string, options: { instance?: number; ip?: string; idempotencyKey?: string } = {}) =>
  call('POST', '/v1/challenges', { userId, context: { ip: options.ip ?? '198.51.100.1', application: 'vpn' } }, {
    ...(options.instance === undefined ? {} : { instance: options.instance }),
    ...(options.idempotencyKey ? { headers: { 'idempotency-key': options.idempotencyKey } } : {}),
  });

async function withDevice(userId: string): Promise<string> {
  const data = sampleData('vigil.factors.snapshot', { tenantId: tenant, userId });
  await producer.publish(createEvent('vigil.factors.snapshot', data, { source: 'urn:vigil:enrollment' }));
  await waitFor(async () => (await probe.hget(`challenge:device:{${tenant}:${userId}}`, 'd')) === data.push?.deviceId, { what: `the device of ${userId}` });
  return data.push?.deviceId ?? '';
}

async function decide(type: 'vigil.challenge.approved' | 'vigil.challenge.denied' | 'vigil.challenge.reported', userId: string, challengeId: string) {
  const base = { tenantId: tenant, userId, challengeId, deviceId: randomUUID(), decidedAt: new Date().toISOString(), context: {} };
  const data = type === 'vigil.challenge.denied' ? { ...base, reason: 'user_denied' as const } : base;
  await producer.publish(createEvent(type, data as EventData<typeof type>, { source: 'urn:vigil:verification' }));
}

const eventsOf = (type: string, challengeId?: string) =>
  events.filter((event) => event.type === type && (challengeId === undefined || (event.data as { challengeId?: string }).challengeId === challengeId));

beforeAll(async () => {
  await ensureTopics(kafka, { partitions: 3, replicationFactor: 1 });
  await producer.connect();
  redisServer = await startLocalRedis();
  probe = new Redis(redisServer.url, { maxRetriesPerRequest: 1 });
  await eventReader.connect();
  await eventReader.subscribe({ topics: [TOPICS.challenges, TOPICS.policies], fromBeginning: true });
  await eventReader.run({
    eachMessage: async ({ message }) => {
      const decoded = message.value && decodeEvent(message.value);
      if (decoded && decoded.ok && (decoded.event.data as { tenantId: string }).tenantId === tenant) events.push(decoded.event);
    },
  });
  // Two instances share the Redis limits and the consumer group, as in production.
  await startInstance(redisServer.url);
  await startInstance(redisServer.url);
});

afterAll(async () => {
  await Promise.allSettled(instances.map((instance) => instance.stop()));
  await eventReader.disconnect();
  await producer.disconnect();
  probe.disconnect();
  await redisServer.stop();
});

describe('creating challenges', () => {
  it('creates a number-matched challenge and announces it on vigil.challenges.v1', async () => {
    const deviceId = await withDevice('alice');
    const created = await create('alice');
    expect(created.status).toBe(201);
    // Six digits by default (CONTRACT §5 v2, NIST SP 800-63B-4 §3.1.3.1).
    expect(created.body).toMatchObject({ status: 'pending', numberMatch: expect.stringMatching(/^\d{6}$/), delivery: 'push' });
    const challengeId = String(created.body['challengeId']);
    const [event] = await waitFor(() => eventsOf('vigil.challenge.created', challengeId).length > 0 && eventsOf('vigil.challenge.created', challengeId), { what: 'the created event' });
    expect(event?.data).toMatchObject({ deviceId, numberMatch: created.body['numberMatch'], numberMatchDigits: 6, delivery: 'push', context: { ip: '198.51.100.1', application: 'vpn' } });
  });

  it('answers 404 no_push_device for a user without a device, without counting it against the limits', async () => {
    const userId = `nobody-${randomUUID().slice(0, 6)}`;
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const response = await create(userId);
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('no_push_device');
    }
    // The device check is part of the gate's one atomic step: the five refusals above used none of the 3 per minute.
    await withDevice(userId);
    const admitted = await Promise.all(Array.from({ length: 3 }, () => create(userId)));
    expect(admitted.map((answer) => [answer.status, answer.body['delivery']])).toEqual([[201, 'push'], [201, 'push'], [201, 'push']]);
  });

  it('pushes exactly 3 of 50 parallel creates for one user across two instances; the other 47 are created quiet', async () => {
    await withDevice('bob');
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => create('bob', { instance: i % 2 })));
    expect(answers.every((answer) => answer.status === 201)).toBe(true);
    expect(answers.filter((answer) => answer.body['delivery'] === 'push')).toHaveLength(3);
    expect(answers.filter((answer) => answer.body['delivery'] === 'quiet')).toHaveLength(47);
    const bobs = () => eventsOf('vigil.challenge.created').filter((event) => (event.data as { userId: string }).userId === 'bob');
    await waitFor(() => bobs().length === 50, { what: '50 created events' });
    expect(bobs().filter((event) => (event.data as { delivery?: string }).delivery === 'quiet').map((event) => (event.data as { quietReason?: string }).quietReason))
      .toEqual(Array.from({ length: 47 }, () => 'user_per_minute'));
  });

  it('makes a challenge quiet past 10 pushes an hour, and past 10 pushes since the last success; an approval resets the count', async () => {
    await withDevice('olive');
    const pushLog = `challenge:pushes:{${tenant}:olive}`;
    // Ten pushes earlier this hour, none in the last minute.
    await probe.eval("for i = 1, 10 do redis.call('ZADD', KEYS[1], ARGV[1] - i * 1000, 'old' .. i) end", 1, pushLog, String(Date.now() - 120_000));
    const hourly = await create('olive');
    expect(hourly.body['delivery']).toBe('quiet');
    await probe.del(pushLog);
    await probe.set(`challenge:since-success:{${tenant}:olive}`, '10');
    const sinceSuccess = await create('olive');
    expect(sinceSuccess.body['delivery']).toBe('quiet');
    await decide('vigil.challenge.approved', 'olive', String(sinceSuccess.body['challengeId']));
    await waitFor(async () => (await create('olive')).body['delivery'] === 'push', { what: 'pushes after the approval' });
    const olives = () => eventsOf('vigil.challenge.created').filter((event) => (event.data as { userId: string }).userId === 'olive');
    await waitFor(() => olives().length >= 3, { what: 'olive\'s events' });
    expect(olives().slice(0, 2).map((event) => (event.data as { quietReason?: string }).quietReason)).toEqual(['user_per_hour', 'since_success']);
  });

  it('refuses a quiet challenge past 60 an hour with 429 throttled and announces the refusal', async () => {
    await withDevice('paul');
    await probe.eval("for i = 1, 60 do redis.call('ZADD', KEYS[1], ARGV[1], 'q' .. i) end redis.call('PEXPIRE', KEYS[1], 3600000)", 1, `challenge:quiet:{${tenant}:paul}`, String(Date.now() - 1_000));
    await probe.set(`challenge:cooldown:{${tenant}:paul}`, '1', 'PX', 60_000);
    const refused = await create('paul');
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('throttled');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(3_500);
    await waitFor(() => events.some((event) => event.type === 'vigil.challenge.throttled' && (event.data as { userId: string; rule: string }).userId === 'paul' && (event.data as { rule: string }).rule === 'quiet_per_hour'), { what: 'the throttled event' });
  });

  it('answers a repeat with the same Idempotency-Key with the same challenge, without counting it', async () => {
    await withDevice('carol');
    const key = `radius-${randomUUID()}`;
    const first = await create('carol', { idempotencyKey: key });
    const repeat = await create('carol', { idempotencyKey: key, instance: 1 });
    expect(first.status).toBe(201);
    expect(repeat.status).toBe(200);
    expect(repeat.body['challengeId']).toBe(first.body['challengeId']);
    expect(repeat.body['numberMatch']).toBe(first.body['numberMatch']);
    expect((await create('carol')).body['delivery']).toBe('push');
    expect((await create('carol')).body['delivery']).toBe('push');
    // The repeat did not count: this is the fourth challenge in the minute.
    expect((await create('carol')).body['delivery']).toBe('quiet');
  });

  it('limits one source IP per tenant across users', async () => {
    const ip = `203.0.113.${Math.floor(Math.random() * 200)}`;
    await probe.eval("for i = 1, 299 do redis.call('ZADD', KEYS[1], ARGV[1], 'x' .. i) end redis.call('PEXPIRE', KEYS[1], 60000)", 1, `challenge:ip-pushes:{${tenant}:${ip}}`, String(Date.now()));
    await withDevice('dave');
    await withDevice('erin');
    expect((await create('dave', { ip })).status).toBe(201);
    const blocked = await create('erin', { ip });
    expect(blocked.status).toBe(429);
    expect(String(blocked.body['detail'])).toContain('ip_per_minute');
  });
});

describe('decisions and long polls', () => {
  it('answers a long poll promptly after the decision event, on the other instance', async () => {
    await withDevice('frank');
    const challengeId = String((await create('frank', { instance: 0 })).body['challengeId']);
    const poll = call('GET', `/v1/challenges/${challengeId}?waitSeconds=20`, undefined, { instance: 1 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const decidedAt = Date.now();
    await decide('vigil.challenge.approved', 'frank', challengeId);
    const answer = await poll;
    const latencyMs = Date.now() - decidedAt;
    expect(answer.body).toMatchObject({ challengeId, userId: 'frank', status: 'approved', reason: null, decidedAt: expect.any(String) });
    expect(latencyMs).toBeLessThan(20_000);
    console.info(`long poll answered ${latencyMs} ms after the decision event was published`);
  });

  it('keeps the first decision and ignores later ones', async () => {
    await withDevice('gina');
    const challengeId = String((await create('gina')).body['challengeId']);
    await decide('vigil.challenge.denied', 'gina', challengeId);
    await decide('vigil.challenge.approved', 'gina', challengeId);
    const answer = await call('GET', `/v1/challenges/${challengeId}?waitSeconds=5`);
    expect(answer.body).toMatchObject({ status: 'denied', reason: 'user_denied' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await call('GET', `/v1/challenges/${challengeId}`)).body['status']).toBe('denied');
  });

  it('cancels a pending challenge', async () => {
    await withDevice('hank');
    const challengeId = String((await create('hank')).body['challengeId']);
    expect((await call('DELETE', `/v1/challenges/${challengeId}`)).status).toBe(204);
    expect((await call('GET', `/v1/challenges/${challengeId}`)).body).toMatchObject({ status: 'cancelled' });
    await waitFor(() => eventsOf('vigil.challenge.cancelled', challengeId).length === 1, { what: 'the cancelled event' });
  });

  it('answers 503 while a cancel cannot reach Kafka; the repeat answers 204 once it is announced, and wakes long polls', async () => {
    await withDevice('hilda');
    const challengeId = String((await create('hilda')).body['challengeId']);
    const waiting = call('GET', `/v1/challenges/${challengeId}?waitSeconds=20`, undefined, { instance: 1 });
    const first = await whileProducerDown(producer, () => call('DELETE', `/v1/challenges/${challengeId}`));
    expect(first.status).toBe(503);
    expect((await call('DELETE', `/v1/challenges/${challengeId}`)).status).toBe(204);
    expect((await waiting).body).toMatchObject({ status: 'cancelled' });
    await waitFor(() => eventsOf('vigil.challenge.cancelled', challengeId).length > 0, { what: 'the cancelled event' });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(new Set(eventsOf('vigil.challenge.cancelled', challengeId).map((event) => event.id)).size).toBe(1);
  });

  it('expires a challenge exactly once with two instances sweeping', async () => {
    await withDevice('ivan');
    const challengeId = String((await create('ivan')).body['challengeId']);
    const answer = await call('GET', `/v1/challenges/${challengeId}?waitSeconds=10`, undefined, { instance: 1 });
    expect(answer.body).toMatchObject({ status: 'expired' });
    await waitFor(() => eventsOf('vigil.challenge.expired', challengeId).length > 0, { what: 'the expired event' });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(eventsOf('vigil.challenge.expired', challengeId)).toHaveLength(1);
  });

  it('hides other tenants\' challenges', async () => {
    await withDevice('judy');
    const challengeId = String((await create('judy')).body['challengeId']);
    const answer = await call('GET', `/v1/challenges/${challengeId}`, undefined, { key: OTHER_AUTH });
    expect(answer.status).toBe(404);
    expect(answer.body.code).toBe('not_found');
  });
});

describe('cool-downs and suspensions', () => {
  it('makes challenges quiet during the cool-down after 3 consecutive misses, and a valid TOTP ends it', async () => {
    await withDevice('kate');
    for (let i = 0; i < 3; i += 1) {
      const challengeId = String((await create('kate')).body['challengeId']);
      await decide('vigil.challenge.denied', 'kate', challengeId);
      await waitFor(async () => (await call('GET', `/v1/challenges/${challengeId}`)).body['status'] === 'denied', { what: 'the denial' });
    }
    // Simulate the minute passing so that only the cool-down can refuse.
    await probe.del(`challenge:pushes:{${tenant}:kate}`);
    // The user is never locked out (CONTRACT §5 v2): the challenge is made, only without a wake-up.
    const cooled = await create('kate');
    expect(cooled.status).toBe(201);
    expect(cooled.body['delivery']).toBe('quiet');
    expect(Number(await probe.pttl(`challenge:cooldown:{${tenant}:kate}`))).toBeGreaterThan(290_000);

    await producer.publish(createEvent('vigil.totp.verified', { tenantId: tenant, userId: 'kate', verificationId: randomUUID(), verifiedAt: new Date().toISOString() }, { source: 'urn:vigil:verification' }));
    await waitFor(async () => { await probe.del(`challenge:pushes:{${tenant}:kate}`); return (await create('kate')).body['delivery'] === 'push'; }, { what: 'pushes to resume after a valid TOTP' });
  });

  it('refuses pushes during a suspension with 423, and resumes when it is lifted', async () => {
    await withDevice('liam');
    const until = new Date(Date.now() + 3_600_000).toISOString();
    await producer.publish(createEvent('vigil.user.push-suspended', { tenantId: tenant, userId: 'liam', until, rule: 'fatigue_acceptance', alertId: null, suspendedAt: new Date().toISOString() }, { source: 'urn:vigil:anomaly-detection' }));
    const suspended = await waitFor(async () => { const answer = await create('liam'); return answer.status === 423 && answer; }, { what: 'the suspension' });
    expect(suspended.body.code).toBe('push_suspended');
    expect(Number(suspended.headers.get('retry-after'))).toBeGreaterThan(3_500);
    await producer.publish(createEvent('vigil.user.push-restored', { tenantId: tenant, userId: 'liam', restoredAt: new Date().toISOString(), by: 'admin' }, { source: 'urn:vigil:anomaly-detection' }));
    await waitFor(async () => (await create('liam')).status === 201, { what: 'the lift' });
  });

  it('suspends for 24 h after a fraud report, without the anomaly service', async () => {
    await withDevice('mia');
    const challengeId = String((await create('mia')).body['challengeId']);
    await decide('vigil.challenge.reported', 'mia', challengeId);
    const suspended = await waitFor(async () => { const answer = await create('mia'); return answer.status === 423 && answer; }, { what: 'the fraud suspension' });
    expect(Number(suspended.headers.get('retry-after'))).toBeGreaterThan(86_000);
  });
});

describe('tenant policy (CONTRACT §5a)', () => {
  const admin = (method: string, body?: unknown, instance = 0) => call(method, '/v1/policy', body, { key: ADMIN, instance });

  it('reads the defaults, NIST-conformant, and applies a change to the very next challenge on any instance', async () => {
    const defaults = await admin('GET');
    expect(defaults.status).toBe(200);
    expect(defaults.body).toMatchObject({
      numberMatchDigits: 6, pushesPerMinute: 3, pushesPerHour: 10, pushesSinceSuccess: 10, quietPerHour: 60,
      cooldown: { afterMisses: 3, initialSeconds: 300, maxSeconds: 3600 }, conformance: { nist80063b4: true, findings: [] },
    });
    await withDevice('quinn');
    const changed = await admin('PUT', { numberMatchDigits: 8, cooldown: { maxSeconds: 1800 } });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ numberMatchDigits: 8, cooldown: { afterMisses: 3, initialSeconds: 300, maxSeconds: 1800 }, conformance: { nist80063b4: true } });
    // The instant the write answered, on the other instance.
    const next = await create('quinn', { instance: 1 });
    expect(next.body['numberMatch']).toMatch(/^\d{8}$/);
    const loose = await admin('PUT', { numberMatchDigits: 4 }, 1);
    expect(loose.body['conformance']).toEqual({ nist80063b4: false, findings: [expect.stringMatching(/4 digits.*at least 6/)] });
    expect((await create('quinn')).body['numberMatch']).toMatch(/^\d{4}$/);
    const announced = await waitFor(() => events.filter((event) => event.type === 'vigil.policy.updated').at(-1), { what: 'the policy event' });
    expect(announced.subject).toBe(tenant);
    expect(announced.data).toMatchObject({ tenantId: tenant, policy: { numberMatchDigits: expect.any(Number) } });
    await admin('PUT', { numberMatchDigits: 6, cooldown: { maxSeconds: 3600 } });
  });

  it('keeps both of two concurrent changes to different fields', async () => {
    const [digits, quiet] = await Promise.all([admin('PUT', { numberMatchDigits: 7 }, 0), admin('PUT', { quietPerHour: 42 }, 1)]);
    expect([digits.status, quiet.status]).toEqual([200, 200]);
    expect((await admin('GET')).body).toMatchObject({ numberMatchDigits: 7, quietPerHour: 42 });
    await admin('PUT', { numberMatchDigits: 6, quietPerHour: 60 });
  });

  it('refuses unknown fields, conformance, out-of-range and contradicting values, and keys of other scopes', async () => {
    for (const body of [{ color: 'red' }, { conformance: { nist80063b4: true, findings: [] } }, { numberMatchDigits: 9 }, { challengeTtlSeconds: 5 }, { cooldown: { initialSeconds: 7200, maxSeconds: 600 } }, { cooldown: { other: 1 } }]) {
      const answer = await admin('PUT', body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.code).toBe('validation_failed');
    }
    expect((await call('GET', '/v1/policy')).status).toBe(403);
    expect((await call('PUT', '/v1/policy', { numberMatchDigits: 8 })).status).toBe(403);
  });
});

describe('input checks', () => {
  it.each([
    ['POST', '/v1/challenges', {}],
    ['POST', '/v1/challenges', { userId: 'a b' }],
    ['POST', '/v1/challenges', { userId: 'x', extra: 1 }],
    ['POST', '/v1/challenges', { userId: 'x', context: { ip: 5 } }],
    ['POST', '/v1/challenges', { userId: 'x', context: { ip: 'not-an-ip' } }],
    ['POST', '/v1/challenges', { userId: 'x', context: { ip: '<img src=x>' } }],
    ['POST', '/v1/challenges', { userId: 'x', context: { location: { lat: 200 } } }],
    ['POST', '/v1/challenges', '{"userId":'],
    ['GET', '/v1/challenges/abc?waitSeconds=31', undefined],
    ['GET', '/v1/challenges/abc?waitSeconds=soon', undefined],
    ['GET', '/v1/challenges/abc?other=1', undefined],
    ['GET', '/v1/challenges/a%20b', undefined],
  ])('%s %s answers 400 problem+json', async (method, path, body) => {
    const answer = await call(method, path, body);
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(answer.body.code).toBe('validation_failed');
  });

  it('rejects an Idempotency-Key that is too long', async () => {
    const answer = await call('POST', '/v1/challenges', { userId: 'x' }, { headers: { 'idempotency-key': 'k'.repeat(129) } });
    expect(answer.status).toBe(400);
  });
});

describe('Redis outage', () => {
  it('fails closed with 503 while Redis is down and recovers when it is back', async () => {
    await withDevice('nora');
    const port = redisServer.port;
    await redisServer.stop();
    try {
      const down = await create('nora');
      expect(down.status).toBe(503);
      expect(down.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(down.body.code).toBe('unavailable');
    } finally {
      redisServer = await startLocalRedis({ port });
    }
    // The restarted server is empty: the device projection is gone with it, so a known user needs its device again.
    await withDevice('nora');
    await waitFor(async () => (await create('nora')).status === 201, { timeoutMs: 20_000, what: 'recovery after Redis is back' });
  });
});
