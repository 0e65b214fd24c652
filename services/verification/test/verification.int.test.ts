import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@vigil/config';
import { createSecretBox, ed25519SigningKey, parseSecretKeys } from '@vigil/crypto';
import { TOPICS, createEvent, decodeEvent, type VigilEvent } from '@vigil/events';
import { createMetricsRegistry, parseApiKeys, staticApiKeys } from '@vigil/http';
import { EventProducer, createKafka, ensureTopics } from '@vigil/kafka';
import { createLogger } from '@vigil/logger';
import { VigilDevice, generateDeviceKeys, signRequest, totpCode, type SignedPayload } from '@vigil/device-sdk';
import { freePort, waitFor, whileProducerDown } from '@vigil/testkit';
import { testInfra } from '@vigil/testkit/vitest';
import { assembleVerification } from '../src/assemble.ts';
import { serviceSpec } from '../src/config.ts';

const infra = testInfra();
const tenant = `t${randomUUID().slice(0, 8)}`;
const AUTH = `auth-${randomUUID()}`;
const serverSeed = randomBytes(32).toString('base64url');
const serverKey = ed25519SigningKey(serverSeed);
const secretKeys = `k1:${randomBytes(32).toString('base64url')}`;
const secretBox = createSecretBox(parseSecretKeys(secretKeys));
const log = createLogger({ name: 'verification-test', level: 'silent' });
const redis = new Redis(infra.redisUrl);
const kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: 'verification-test', log });
const producer = new EventProducer(kafka);
const events: VigilEvent[] = [];
const reader = kafka.consumer({ groupId: `verification-events-${tenant}` });
let fixedNow: Date | null = null;
let baseUrl = '';
let stopService: () => Promise<void> = async () => {};
let version = 1;

async function enrollDevice(userId: string): Promise<VigilDevice> {
  const keys = await generateDeviceKeys();
  const deviceId = randomUUID();
  const now = new Date().toISOString();
  await producer.publish(createEvent('vigil.factors.snapshot', {
    tenantId: tenant, userId, version: version++, updatedAt: now, totp: null,
    push: { deviceId, publicKey: keys.publicKey, platform: 'ios', channel: 'poll', pushToken: null, deviceName: null, enrolledAt: now },
  }, { source: 'urn:vigil:enrollment' }));
  await waitFor(async () => (await redis.exists(`verification:device:${deviceId}`)) === 1, { what: `the device of ${userId}` });
  return new VigilDevice(keys, { deviceId, tenantId: tenant, userId, serverPublicKey: serverKey.publicKey, serverKeyId: serverKey.keyId });
}

async function enrollTotp(userId: string, secret: Uint8Array): Promise<void> {
  const now = new Date().toISOString();
  await producer.publish(createEvent('vigil.factors.snapshot', {
    tenantId: tenant, userId, version: version++, updatedAt: now, push: null,
    totp: { secret: secretBox.seal(secret, `${tenant}:${userId}`), enrolledAt: now },
  }, { source: 'urn:vigil:enrollment' }));
  await waitFor(async () => Boolean(await redis.hget(`verification:factors:{${tenant}:${userId}}`, 't')), { what: `the TOTP secret of ${userId}` });
}

async function newChallenge(device: VigilDevice, options: { ttlMs?: number; publish?: boolean } = {}) {
  const challengeId = randomUUID();
  const event = createEvent('vigil.challenge.created', {
    tenantId: tenant, userId: device.activation.userId, challengeId, deviceId: device.deviceId, numberMatch: '42', numberMatchDigits: 2,
    createdAt: new Date().toISOString(), expiresAt: new Date(Date.now() + (options.ttlMs ?? 60_000)).toISOString(),
    context: { ip: '198.51.100.9', application: 'vpn', location: { country: 'FR', city: 'Lyon' } },
  }, { source: 'urn:vigil:challenge' });
  if (options.publish !== false) {
    await producer.publish(event);
    await waitFor(async () => (await redis.exists(`verification:c:${challengeId}`)) === 1, { what: 'the challenge projection' });
  }
  return { challengeId, publish: () => producer.publish(event) };
}

const respond = (device: VigilDevice, challengeId: string, body: unknown) => device.request<{ status?: string; code?: string }>(baseUrl, 'POST', `/v1/device/challenges/${challengeId}/response`, body);
const details = (device: VigilDevice, challengeId: string) => device.request<SignedPayload & { code?: string }>(baseUrl, 'GET', `/v1/device/challenges/${challengeId}`);
const eventsFor = (challengeId: string, type?: string) => events.filter((event) => (event.data as { challengeId?: string }).challengeId === challengeId && (!type || event.type === type));

async function verify(userId: string, code: unknown) {
  const response = await fetch(`${baseUrl}/v1/totp/verify`, {
    method: 'POST', headers: { authorization: `Bearer ${AUTH}`, 'content-type': 'application/json' }, body: JSON.stringify({ userId, code }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  await ensureTopics(kafka, { partitions: 3, replicationFactor: 1 });
  await producer.connect();
  const port = await freePort();
  const config = loadConfig(serviceSpec, { VERIFICATION_PORT: String(port), VIGIL_SERVER_SIGNING_KEY: serverSeed, VIGIL_SECRET_KEYS: secretKeys });
  const service = await assembleVerification({
    config, redis, kafka, producer, log, readiness: [], metrics: createMetricsRegistry('verification'),
    apiKeys: staticApiKeys(parseApiKeys(`${tenant}:auth:${AUTH}`)), groupId: `verification-${tenant}`,
    now: () => fixedNow ?? new Date(),
  });
  const running = await service.start();
  await service.app.listen({ port, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${port}`;
  stopService = async () => { await service.app.close(); await running.stop(); };
  await reader.connect();
  await reader.subscribe({ topic: TOPICS.verifications, fromBeginning: true });
  await reader.run({ eachMessage: async ({ message }) => {
    const decoded = message.value && decodeEvent(message.value);
    if (decoded && decoded.ok && (decoded.event.data as { tenantId: string }).tenantId === tenant) events.push(decoded.event);
  } });
});

afterAll(async () => {
  await stopService();
  await reader.disconnect();
  await producer.disconnect();
  redis.disconnect();
});

describe('push responses', () => {
  it('serves server-signed challenge details without the number, and records an approval', async () => {
    const device = await enrollDevice('alice');
    const { challengeId } = await newChallenge(device);
    const signed = await details(device, challengeId);
    expect(signed.status).toBe(200);
    const payload = await device.verifyServerPayload<Record<string, unknown>>(signed.body);
    expect(payload).toEqual({
      challengeId, tenantId: tenant, userId: 'alice', deviceId: device.deviceId, createdAt: expect.any(String), expiresAt: expect.any(String),
      numberMatchDigits: 2, context: { ip: '198.51.100.9', application: 'vpn', location: { country: 'FR', city: 'Lyon' } },
      // v2: whether the phone was woken (events written before v2 were all pushed).
      delivery: 'push',
    });
    expect(signed.body.payload).not.toContain('"42"');
    expect((await respond(device, challengeId, { decision: 'approve', numberMatch: '42' })).body).toEqual({ status: 'approved' });
    const [approved] = await waitFor(() => eventsFor(challengeId, 'vigil.challenge.approved').length > 0 && eventsFor(challengeId, 'vigil.challenge.approved'), { what: 'the approval' });
    expect(approved?.data).toMatchObject({ deviceId: device.deviceId, context: { application: 'vpn' } });
  });

  it('records a denial and a fraud report', async () => {
    const device = await enrollDevice('bob');
    const denied = await newChallenge(device);
    expect((await respond(device, denied.challengeId, { decision: 'deny' })).body).toEqual({ status: 'denied' });
    const reported = await newChallenge(device);
    expect((await respond(device, reported.challengeId, { decision: 'report' })).body).toEqual({ status: 'reported' });
    await waitFor(() => eventsFor(denied.challengeId, 'vigil.challenge.denied').some((event) => (event.data as { reason: string }).reason === 'user_denied'), { what: 'the denial' });
    await waitFor(() => eventsFor(reported.challengeId, 'vigil.challenge.reported').length === 1, { what: 'the report' });
  });

  it('denies an approval with a wrong or missing number: 422 number_mismatch, and a later answer is 409', async () => {
    const device = await enrollDevice('carol');
    const wrong = await newChallenge(device);
    const answer = await respond(device, wrong.challengeId, { decision: 'approve', numberMatch: '13' });
    expect(answer.status).toBe(422);
    expect(answer.body.code).toBe('number_mismatch');
    expect((await respond(device, wrong.challengeId, { decision: 'approve', numberMatch: '42' })).status).toBe(409);
    await waitFor(() => eventsFor(wrong.challengeId, 'vigil.challenge.denied').some((event) => (event.data as { reason: string }).reason === 'number_mismatch'), { what: 'the mismatch denial' });
    await waitFor(() => eventsFor(wrong.challengeId, 'vigil.response.rejected').some((event) => (event.data as { reason: string }).reason === 'number_mismatch'), { what: 'the mismatch rejection' });
    const missing = await newChallenge(device);
    expect((await respond(device, missing.challengeId, { decision: 'approve' })).status).toBe(422);
  });

  it('lets exactly one of two concurrent responses win', async () => {
    const device = await enrollDevice('dave');
    const { challengeId } = await newChallenge(device);
    const answers = await Promise.all([
      respond(device, challengeId, { decision: 'approve', numberMatch: '42' }),
      respond(device, challengeId, { decision: 'deny' }),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    expect(answers.find((answer) => answer.status === 409)?.body.code).toBe('already_decided');
  });

  it('answers 410 after expiry', async () => {
    const device = await enrollDevice('erin');
    const { challengeId } = await newChallenge(device, { ttlMs: 300 });
    await new Promise((resolve) => setTimeout(resolve, 400));
    const answer = await respond(device, challengeId, { decision: 'approve', numberMatch: '42' });
    expect(answer.status).toBe(410);
    expect(answer.body.code).toBe('expired');
    expect((await details(device, challengeId)).status).toBe(410);
  });

  it('waits briefly for a challenge the projection has not seen yet', async () => {
    const device = await enrollDevice('frank');
    const late = await newChallenge(device, { publish: false });
    setTimeout(() => void late.publish(), 400);
    expect((await respond(device, late.challengeId, { decision: 'deny' })).body).toEqual({ status: 'denied' });
    const started = Date.now();
    expect((await respond(device, randomUUID(), { decision: 'deny' })).status).toBe(404);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
  });
});

describe('Kafka outage (CONTRACT §2, §8)', () => {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const idsOf = (list: VigilEvent[]) => new Set(list.map((event) => event.id));

  it('answers 503 while a decision cannot reach Kafka; the repeat answers as the first time and the decision is published once', async () => {
    const device = await enrollDevice('olga');
    const { challengeId } = await newChallenge(device);
    const first = await whileProducerDown(producer, () => respond(device, challengeId, { decision: 'approve', numberMatch: '42' }));
    expect(first.status).toBe(503);
    expect(first.body.code).toBe('unavailable');
    const again = await respond(device, challengeId, { decision: 'approve', numberMatch: '42' });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ status: 'approved' });
    // Once published, the decision is decided: a third answer is refused like any later one.
    expect((await respond(device, challengeId, { decision: 'approve', numberMatch: '42' })).status).toBe(409);
    await waitFor(() => eventsFor(challengeId, 'vigil.challenge.approved').length > 0, { what: 'the approval' });
    await sleep(2_000); // the relay's turn: it must not add another decision
    expect(idsOf(eventsFor(challengeId, 'vigil.challenge.approved')).size).toBe(1);
    // Besides it, only the refusal of the third answer.
    expect(eventsFor(challengeId).filter((event) => event.type !== 'vigil.challenge.approved').map((event) => [event.type, (event.data as { reason?: string }).reason]))
      .toEqual([['vigil.response.rejected', 'already_decided']]);
  });

  it('answers a repeated TOTP code as the first time while its verification was not announced, then reused_code', async () => {
    const secret = randomBytes(20);
    await enrollTotp('quinn', secret);
    const code = totpCode(base32(secret));
    const first = await whileProducerDown(producer, () => verify('quinn', code));
    expect(first.status).toBe(503);
    const again = await verify('quinn', code);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ valid: true, reason: null, verificationId: expect.any(String) });
    expect((await verify('quinn', code)).body).toMatchObject({ valid: false, reason: 'reused_code' });
    const verified = () => events.filter((event) => event.type === 'vigil.totp.verified' && (event.data as { userId: string }).userId === 'quinn');
    await waitFor(() => verified().length > 0, { what: 'the verification event' });
    await sleep(1_500);
    expect(new Set(verified().map((event) => event.id)).size).toBe(1);
    expect((verified()[0]?.data as { verificationId: string }).verificationId).toBe(again.body['verificationId']);
  });

  it('publishes a decision its request could not, without any repeat (the outbox relay)', async () => {
    const device = await enrollDevice('pablo');
    const { challengeId } = await newChallenge(device);
    const first = await whileProducerDown(producer, () => respond(device, challengeId, { decision: 'deny' }));
    expect(first.status).toBe(503);
    const [denied] = await waitFor(() => eventsFor(challengeId, 'vigil.challenge.denied').length > 0 && eventsFor(challengeId, 'vigil.challenge.denied'), { what: 'the relayed denial', timeoutMs: 15_000 });
    expect(denied?.data).toMatchObject({ reason: 'user_denied', deviceId: device.deviceId });
  });
});

describe('attacks on responses', () => {
  it('rejects forged, stale, replayed, wrong-key and other-user requests while the challenge stays pending', async () => {
    const device = await enrollDevice('gina');
    const other = await enrollDevice('hank');
    const { challengeId } = await newChallenge(device);
    const path = `/v1/device/challenges/${challengeId}/response`;
    const body = JSON.stringify({ decision: 'approve', numberMatch: '42' });
    const send = (headers: Record<string, string>, text = body) => fetch(`${baseUrl}${path}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: text });

    const attacker = await generateDeviceKeys();
    const forged = await send(await signRequest(attacker, { method: 'POST', pathWithQuery: path, body, deviceId: device.deviceId }));
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as { code: string }).code).toBe('invalid_signature');

    const stale = await send(await signRequest(device.keys, { method: 'POST', pathWithQuery: path, body, deviceId: device.deviceId, timestampMs: Date.now() - 120_000 }));
    expect(stale.status).toBe(401);

    const tampered = await send(await signRequest(device.keys, { method: 'POST', pathWithQuery: path, body, deviceId: device.deviceId }), body.replace('42', '43'));
    expect(tampered.status).toBe(401);

    const wrongKey = await send(await signRequest(other.keys, { method: 'POST', pathWithQuery: path, body, deviceId: device.deviceId }));
    expect(wrongKey.status).toBe(401);

    const otherUser = await other.request(baseUrl, 'POST', path, { decision: 'approve', numberMatch: '42' });
    expect(otherUser.status).toBe(404);
    expect((await details(other, challengeId)).status).toBe(404);

    const getPath = `/v1/device/challenges/${challengeId}`;
    const readHeaders = await signRequest(device.keys, { method: 'GET', pathWithQuery: getPath, deviceId: device.deviceId });
    expect((await fetch(`${baseUrl}${getPath}`, { headers: readHeaders })).status).toBe(200);
    const replayed = await fetch(`${baseUrl}${getPath}`, { headers: readHeaders });
    expect(replayed.status).toBe(401);
    expect(((await replayed.json()) as { code: string }).code).toBe('replayed');

    // Still pending: the real device can approve.
    expect((await respond(device, challengeId, { decision: 'approve', numberMatch: '42' })).body).toEqual({ status: 'approved' });
    const reasons = () => events.filter((event) => event.type === 'vigil.response.rejected' && ((event.data as { userId: string }).userId === 'gina' || (event.data as { userId: string }).userId === 'hank')).map((event) => (event.data as { reason: string }).reason);
    await waitFor(() => ['invalid_signature', 'stale', 'replayed', 'wrong_device'].every((reason) => reasons().includes(reason)), { what: 'rejections of every kind' });
  });
});

describe('rejection events', () => {
  it('publishes at most 20 rejections per device and minute; the rest answer as before and are counted as dropped', async () => {
    const device = await enrollDevice('iris');
    const attacker = await generateDeviceKeys();
    const path = '/v1/device/challenges/pending';
    const answers: number[] = [];
    for (let i = 0; i < 30; i += 1) {
      const headers = await signRequest(attacker, { method: 'GET', pathWithQuery: path, deviceId: device.deviceId, timestampMs: Date.now() - i });
      answers.push((await fetch(`${baseUrl}${path}`, { headers })).status);
    }
    expect(new Set(answers)).toEqual(new Set([401]));
    const irisRejections = () => events.filter((event) => event.type === 'vigil.response.rejected' && (event.data as { userId: string }).userId === 'iris');
    await waitFor(() => irisRejections().length >= 20, { what: 'the rejections within the budget' });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const perMinute = new Map<number, number>();
    for (const event of irisRejections()) {
      const minute = Math.floor(Date.parse((event.data as { rejectedAt: string }).rejectedAt) / 60_000);
      perMinute.set(minute, (perMinute.get(minute) ?? 0) + 1);
    }
    expect(Math.max(...perMinute.values())).toBeLessThanOrEqual(20);
    expect(irisRejections().length).toBeLessThan(30);
    const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
    expect(Number(/vigil_rejection_events_dropped_total\{[^}]*reason="invalid_signature"[^}]*\} (\d+)/.exec(metrics)?.[1] ?? 0)).toBeGreaterThan(0);
  });
});

describe('poll mode', () => {
  it('hands a new challenge to a waiting device as soon as its creation event is projected', async () => {
    const device = await enrollDevice('ivan');
    const poll = device.request<{ challenges: SignedPayload[] }>(baseUrl, 'GET', '/v1/device/challenges/pending?waitSeconds=10');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const publishedAt = Date.now();
    const { challengeId } = await newChallenge(device);
    const answer = await poll;
    const latencyMs = Date.now() - publishedAt;
    expect(answer.body.challenges).toHaveLength(1);
    expect(JSON.parse(answer.body.challenges[0]?.payload ?? '{}')).toMatchObject({ challengeId });
    expect(latencyMs).toBeLessThan(10_000);
    console.info(`poll mode delivered the challenge ${latencyMs} ms after its creation event was published`);
  });
});

describe('TOTP verification', () => {
  const RFC_SECRET = new TextEncoder().encode('12345678901234567890');

  it.each([
    [59, '287082'], [1111111109, '081804'], [1111111111, '050471'], [1234567890, '005924'], [2000000000, '279037'],
  ])('accepts the RFC 6238 code at T=%i through the service', async (seconds, code) => {
    const userId = `rfc-${seconds}`;
    await enrollTotp(userId, RFC_SECRET);
    fixedNow = new Date(seconds * 1000);
    try {
      const answer = await verify(userId, code);
      expect(answer.body).toMatchObject({ valid: true, reason: null, verificationId: expect.any(String) });
    } finally {
      fixedNow = null;
    }
  });

  it('answers reused_code for a code already accepted', async () => {
    const secret = randomBytes(20);
    await enrollTotp('judy', secret);
    const code = totpCode(Buffer.from(base32(secret)).toString(), new Date());
    expect((await verify('judy', code)).body).toMatchObject({ valid: true });
    expect((await verify('judy', code)).body).toEqual({ valid: false, reason: 'reused_code', verificationId: null });
  });

  it('locks after 5 consecutive failures with 429, and a success resets the count', async () => {
    const secret = randomBytes(20);
    await enrollTotp('kate', secret);
    const wrong = () => verify('kate', '000000' === totpCode(base32(secret)) ? '111111' : '000000');
    for (let i = 0; i < 4; i += 1) expect((await wrong()).body).toMatchObject({ valid: false, reason: 'invalid_code' });
    expect((await verify('kate', totpCode(base32(secret)))).body).toMatchObject({ valid: true });
    for (let i = 0; i < 5; i += 1) expect((await wrong()).status).toBe(200);
    const locked = await verify('kate', totpCode(base32(secret), new Date(Date.now() + 30_000)));
    expect(locked.status).toBe(429);
    expect(locked.body['code']).toBe('throttled');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(290);
    await waitFor(() => events.some((event) => event.type === 'vigil.totp.failed' && (event.data as { userId: string; reason: string }).userId === 'kate' && (event.data as { reason: string }).reason === 'locked'), { what: 'the locked event' });
  });

  it('evaluates at most 5 of 200 concurrent wrong codes, and one burst starts one 5-minute lockout, not a chain of them', async () => {
    const secret = randomBytes(20);
    await enrollTotp('lena', secret);
    const right = totpCode(base32(secret));
    const wrong = right === '000000' ? '111111' : '000000';
    const answers = await Promise.all(Array.from({ length: 200 }, () => verify('lena', wrong)));
    const evaluated = answers.filter((answer) => answer.status === 200);
    expect(evaluated.length).toBe(5);
    for (const answer of evaluated) expect(answer.body).toMatchObject({ valid: false, reason: 'invalid_code' });
    expect(answers.filter((answer) => answer.status === 429)).toHaveLength(195);
    const locked = await verify('lena', right);
    expect(locked.status).toBe(429);
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(290);
    expect(retryAfter).toBeLessThanOrEqual(300);
  });

  it('lifts the lockout the last allowed attempt started when that attempt\'s code is right', async () => {
    const secret = randomBytes(20);
    await enrollTotp('mona', secret);
    const right = totpCode(base32(secret));
    const wrong = right === '000000' ? '111111' : '000000';
    for (let i = 0; i < 4; i += 1) expect((await verify('mona', wrong)).body).toMatchObject({ valid: false });
    // The fifth attempt started a lockout before its code was compared; the code is right, so it ends.
    expect((await verify('mona', right)).body).toMatchObject({ valid: true });
    expect((await verify('mona', wrong)).status).toBe(200);
  });

  it('accepts one of two concurrent uses of the same code; the other is a reuse', async () => {
    const secret = randomBytes(20);
    await enrollTotp('nell', secret);
    const code = totpCode(base32(secret));
    const answers = await Promise.all([verify('nell', code), verify('nell', code)]);
    expect(answers.map((answer) => answer.body['valid']).sort()).toEqual([false, true]);
    expect(answers.find((answer) => answer.body['valid'] === false)?.body['reason']).toBe('reused_code');
  });

  it('answers 404 no_totp without a TOTP factor and 400 for bad bodies', async () => {
    expect((await verify('nobody', '123456')).body['code']).toBe('no_totp');
    for (const code of [123456, '']) expect((await verify('x', code)).status).toBe(400);
    const bad = await fetch(`${baseUrl}/v1/totp/verify`, { method: 'POST', headers: { authorization: `Bearer ${AUTH}`, 'content-type': 'application/json' }, body: '{"userId":"x","code":"1","more":1}' });
    expect(bad.status).toBe(400);
  });
});

describe('device input checks', () => {
  it.each([
    [{ decision: 'maybe' }], [{ decision: 'approve', numberMatch: 42 }], [{}], [{ decision: 'deny', extra: true }],
  ])('answers %j with 400 validation_failed', async (body) => {
    const device = await enrollDevice(`input-${randomUUID().slice(0, 6)}`);
    const answer = await respond(device, randomUUID(), body);
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('validation_failed');
  });
});

function base32(bytes: Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const byte of bytes) bits += byte.toString(2).padStart(8, '0');
  let out = '';
  for (let i = 0; i + 5 <= bits.length; i += 5) out += alphabet[parseInt(bits.slice(i, i + 5), 2)];
  return out;
}

describe('a restarted instance (CONTRACT §2)', () => {
  it('never trusts a device revoked while every instance of its group was down, even before its consumer has joined', async () => {
    // An instance of its own (own group, own Redis database), so that nothing else applies the revocation for it.
    const ownRedis = new Redis(`${infra.redisUrl.replace(/\/\d*$/, '')}/7`);
    const groupId = `verification-restart-${tenant}`;
    const listen = async () => {
      const port = await freePort();
      const config = loadConfig(serviceSpec, { VERIFICATION_PORT: String(port), VIGIL_SERVER_SIGNING_KEY: serverSeed, VIGIL_SECRET_KEYS: secretKeys });
      const service = await assembleVerification({
        config, redis: ownRedis, kafka, producer, log, readiness: [], metrics: createMetricsRegistry('verification'),
        apiKeys: staticApiKeys(parseApiKeys(`${tenant}:auth:${AUTH}`)), groupId,
      });
      // As main.ts does: listen first, then join.
      await service.app.listen({ port, host: '127.0.0.1' });
      return { url: `http://127.0.0.1:${port}`, service };
    };
    const start = async () => {
      const { url, service } = await listen();
      return { url, app: service.app, running: service.start() };
    };
    const first = await start();
    const stopFirst = await first.running;
    const device = await enrollDevice('rita');
    await waitFor(async () => (await ownRedis.exists(`verification:device:${device.deviceId}`)) === 1, { what: 'the device in the instance\'s projection' });
    expect((await device.request(first.url, 'GET', '/v1/device/challenges/pending')).status).toBe(200);
    await first.app.close();
    await stopFirst.stop();

    // Nothing published is unapplied: an instance that has not joined yet answers from the projection at once.
    const notJoined = await listen();
    const started = Date.now();
    expect((await device.request(notJoined.url, 'GET', '/v1/device/challenges/pending')).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1_500);
    await notJoined.service.app.close();

    // Revoked while the group has no members: the writer has nobody to wait for.
    await producer.publish(createEvent('vigil.factors.snapshot', {
      tenantId: tenant, userId: 'rita', version: version++, updatedAt: new Date().toISOString(), push: null, totp: null,
    }, { source: 'urn:vigil:enrollment' }));
    const second = await start();
    try {
      // Its projection still holds the device: answering from it now would trust a revoked device.
      expect(await ownRedis.exists(`verification:device:${device.deviceId}`)).toBe(1);
      const early = await device.request<{ code?: string }>(second.url, 'GET', '/v1/device/challenges/pending');
      expect([401, 503]).toContain(early.status);
      await second.running;
      await waitFor(async () => (await device.request(second.url, 'GET', '/v1/device/challenges/pending')).status === 401, { what: 'the revocation applied' });
    } finally {
      await second.app.close();
      await (await second.running).stop();
      ownRedis.disconnect();
    }
  });
});

describe('long polls (CONTRACT §6 v2)', () => {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const places = (device: VigilDevice) => redis.zcard(`verification:long-polls:${device.deviceId}`);
  // The same device, through a connection the test can drop (a phone going offline mid-poll).
  const droppable = (device: VigilDevice, client: AbortController) =>
    new VigilDevice(device.keys, device.activation, (url, init) => fetch(url, { ...init, signal: client.signal }));

  it('holds 4 per device, refuses a fifth with 429, and frees a place at once when its client goes away', async () => {
    const device = await enrollDevice('lupe');
    const clients = Array.from({ length: 4 }, () => new AbortController());
    const polls: Promise<unknown>[] = [];
    for (const client of clients) {
      // Signatures are deterministic: requests of one device a millisecond apart, or the replay guard refuses them.
      polls.push(droppable(device, client).request(baseUrl, 'GET', '/v1/device/challenges/pending?waitSeconds=30').catch(() => null));
      await sleep(5);
    }
    await waitFor(async () => (await places(device)) === 4, { what: 'four waiting polls' });
    const fifth = await device.request<{ code?: string }>(baseUrl, 'GET', '/v1/device/challenges/pending?waitSeconds=30');
    expect(fifth.status).toBe(429);
    expect(fifth.body.code).toBe('throttled');
    // A short poll waits for nothing and needs no place.
    expect((await device.request(baseUrl, 'GET', '/v1/device/challenges/pending')).status).toBe(200);

    (clients[0] as AbortController).abort();
    await waitFor(async () => (await places(device)) === 3, { timeoutMs: 2_000, what: 'the dropped poll\'s place' });
    const next = device.request<{ challenges: SignedPayload[] }>(baseUrl, 'GET', '/v1/device/challenges/pending?waitSeconds=30');
    await waitFor(async () => (await places(device)) === 4, { what: 'the new poll waiting' });
    const { challengeId } = await newChallenge(device);
    const answered = await next;
    expect(answered.status).toBe(200);
    expect(answered.body.challenges.map((signed) => (JSON.parse(signed.payload) as { challengeId: string }).challengeId)).toEqual([challengeId]);
    await Promise.all(polls);
    await waitFor(async () => (await places(device)) === 0, { what: 'every place released' });
  });
});
