import { randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import mongoose from 'mongoose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '@vigil/config';
import { TOPICS, createEvent, decodeEvent, eventKey, type EventData } from '@vigil/events';
import { createMetricsRegistry, parseApiKeys, staticApiKeys } from '@vigil/http';
import { EventProducer, createKafka, ensureTopics, type RunningConsumer } from '@vigil/kafka';
import { createLogger } from '@vigil/logger';
import { ActivationError, VigilDevice, generateDeviceKeys, signRequest, totpCode } from '@vigil/device-sdk';
import { freePort, waitFor } from '@vigil/testkit';
import { testInfra } from '@vigil/testkit/vitest';
import { assembleEnrollment, type EnrollmentService } from '../src/assemble.ts';
import { serviceSpec } from '../src/config.ts';

const infra = testInfra();
const tenant = `t${randomUUID().slice(0, 8)}`;
const otherTenant = `${tenant}x`;
const ADMIN = `admin-${randomUUID()}`;
const OTHER_ADMIN = `admin-${randomUUID()}`;
const AUTH = `auth-${randomUUID()}`;
const logLines: string[] = [];
const log = createLogger({ name: 'enrollment', level: 'debug', destination: new Writable({ write(chunk, _e, done) { logLines.push(String(chunk)); done(); } }) });
const redis = new Redis(infra.redisUrl);
const mongo = mongoose.createConnection(infra.mongoUrl.replace('/vigil?', `/enroll-${tenant}?`));
const kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: 'enrollment-test', log });
const producer = new EventProducer(kafka);
let clockOffsetMs = 0;
let service: EnrollmentService;
let consumer: RunningConsumer;
let baseUrl: string;
const factorsByKey = new Map<string, (EventData<'vigil.factors.snapshot'> | null)[]>();
const factorReader = kafka.consumer({ groupId: `factor-reader-${tenant}` });
const secretsSeen: string[] = [];
const enrollmentEvents: { type: string; data: Record<string, unknown> }[] = [];

async function api(method: string, path: string, body?: unknown, key = ADMIN) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : null) as Record<string, unknown> & { code?: string } };
}

async function enroll(userId: string, body: Record<string, unknown> = {}) {
  const started = await api('POST', `/v1/users/${userId}/push-enrollments`, body);
  expect(started.status).toBe(201);
  secretsSeen.push(String(started.body['activationCode']));
  return started.body as { enrollmentId: string; activationCode: string; activationUri: string; expiresAt: string };
}

async function activate(userId: string, options: { pushToken?: string | null } = {}) {
  const started = await enroll(userId, { replace: true });
  if (options.pushToken) secretsSeen.push(options.pushToken);
  return VigilDevice.activate(started.activationUri, { platform: 'android', pushToken: options.pushToken ?? null, deviceName: 'Pixel 9' });
}

const latestFactors = (userId: string) => factorsByKey.get(eventKey(tenant, userId))?.at(-1);

beforeAll(async () => {
  await mongo.asPromise();
  await ensureTopics(kafka, { partitions: 3, replicationFactor: 1 });
  await producer.connect();
  const port = await freePort();
  const config = loadConfig(serviceSpec, {
    ENROLLMENT_PORT: String(port),
    VIGIL_SERVER_SIGNING_KEY: randomBytes(32).toString('base64url'),
    VIGIL_SECRET_KEYS: `k1:${randomBytes(32).toString('base64url')}`,
  });
  service = await assembleEnrollment({
    config, redis, mongo, kafka, producer, log,
    apiKeys: staticApiKeys(parseApiKeys(`${tenant}:admin:${ADMIN},${tenant}:auth:${AUTH},${otherTenant}:admin:${OTHER_ADMIN}`)),
    readiness: [], metrics: createMetricsRegistry('enrollment'),
    now: () => new Date(Date.now() + clockOffsetMs),
    groupId: `enrollment-${tenant}`,
  });
  await service.app.listen({ port, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${port}`;
  consumer = await service.startConsumers();
  await factorReader.connect();
  await factorReader.subscribe({ topics: [TOPICS.factors, TOPICS.enrollment], fromBeginning: true });
  await factorReader.run({
    eachMessage: async ({ topic, message }) => {
      const key = message.key?.toString() ?? '';
      if (!key.startsWith(`${tenant}:`)) return;
      if (topic === TOPICS.enrollment) {
        const decoded = message.value && decodeEvent(message.value);
        if (decoded && decoded.ok) enrollmentEvents.push({ type: decoded.event.type, data: decoded.event.data as Record<string, unknown> });
        return;
      }
      const decoded = message.value === null ? null : decodeEvent(message.value);
      const snapshot = decoded?.ok && decoded.event.type === 'vigil.factors.snapshot' ? decoded.event.data : null;
      factorsByKey.set(key, [...(factorsByKey.get(key) ?? []), snapshot]);
    },
  });
});

afterAll(async () => {
  await factorReader.disconnect();
  await consumer.stop();
  await service.app.close();
  await producer.disconnect();
  await mongo.close();
  redis.disconnect();
});

beforeEach(async () => {
  clockOffsetMs = 0;
  await redis.del('enrollment:activation-failures:127.0.0.1');
});

describe('push enrollment', () => {
  it('activates a device with proof of possession and publishes its factors', async () => {
    const started = await enroll('alice');
    expect(started.activationCode.length).toBeGreaterThanOrEqual(22); // ≥ 128 bits in base64url
    expect(started.activationUri).toBe(`vigil://activate?code=${started.activationCode}&api=${encodeURIComponent(baseUrl)}`);
    const device = await VigilDevice.activate(started.activationUri, { platform: 'ios', pushToken: null, deviceName: 'iPhone' });
    expect(device.activation).toMatchObject({ tenantId: tenant, userId: 'alice', serverKeyId: expect.stringMatching(/^ed25519:/) });

    const factors = await api('GET', '/v1/users/alice/factors');
    expect(factors.body).toMatchObject({ push: { deviceId: device.deviceId, platform: 'ios', deviceName: 'iPhone', channel: 'poll' }, totp: null, pushSuspendedUntil: null });
    const snapshot = await waitFor(() => latestFactors('alice') ?? undefined, { what: 'a factors snapshot for alice' });
    expect(snapshot.push).toMatchObject({ deviceId: device.deviceId, publicKey: device.keys.publicKey, channel: 'poll', pushToken: null });
  });

  it('refuses a second enrollment while a device is active with 409 device_already_enrolled', async () => {
    await activate('bob');
    const second = await api('POST', '/v1/users/bob/push-enrollments', {});
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('device_already_enrolled');
  });

  it('spends the user\'s other open codes when a device activates, so that an old code never replaces a later device', async () => {
    const first = await enroll('pia');
    const second = await enroll('pia');
    const device = await VigilDevice.activate(first.activationUri, { platform: 'ios', pushToken: null });
    const late = await VigilDevice.activate(second.activationUri, { platform: 'ios', pushToken: null }).catch((error: unknown) => error);
    expect(late).toBeInstanceOf(ActivationError);
    expect((late as ActivationError).status).toBe(410);
    expect((await device.request(baseUrl, 'PUT', '/v1/device/push-token', { pushToken: null })).status).toBe(204);
  });

  it('lets one of two plain codes activated at the same moment win; the other never replaces it', async () => {
    const codes = [await enroll('quin'), await enroll('quin')];
    const results = await Promise.allSettled(codes.map((code) => VigilDevice.activate(code.activationUri, { platform: 'ios', pushToken: null })));
    const won = results.filter((result): result is PromiseFulfilledResult<VigilDevice> => result.status === 'fulfilled');
    expect(won).toHaveLength(1);
    const lost = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
    expect([409, 410]).toContain((lost.reason as ActivationError).status);
    expect((await api('GET', '/v1/users/quin/factors')).body['push']).toMatchObject({ deviceId: won[0]?.value.deviceId });
  });

  it('lets an admin replace a device, and the old device is refused with 401 afterwards', async () => {
    const old = await activate('carol');
    const replacement = await activate('carol');
    expect(replacement.deviceId).not.toBe(old.deviceId);
    const oldRequest = await old.request(baseUrl, 'PUT', '/v1/device/push-token', { pushToken: null });
    expect(oldRequest.status).toBe(401);
    expect(oldRequest.body).toMatchObject({ code: 'invalid_signature' });
    expect((await replacement.request(baseUrl, 'PUT', '/v1/device/push-token', { pushToken: null })).status).toBe(204);
  });

  it('accepts a recent TOTP verification as proof, once, and not after 5 minutes', async () => {
    await activate('dave');
    const verified = (verificationId: string) => producer.publish(createEvent('vigil.totp.verified', {
      tenantId: tenant, userId: 'dave', verificationId, verifiedAt: new Date().toISOString(),
    }, { source: 'urn:vigil:verification' }));
    const fresh = randomUUID();
    await verified(fresh);
    await waitFor(async () => (await redis.exists(`enrollment:proof:{${tenant}}:${fresh}`)) === 1, { what: 'the proof to be learned' });
    expect((await api('POST', '/v1/users/dave/push-enrollments', { proofId: fresh })).status).toBe(201);
    expect((await api('POST', '/v1/users/dave/push-enrollments', { proofId: fresh })).status).toBe(409);

    const stale = randomUUID();
    await verified(stale);
    await waitFor(async () => (await redis.exists(`enrollment:proof:{${tenant}}:${stale}`)) === 1, { what: 'the second proof' });
    clockOffsetMs = 5 * 60_000 + 1_000;
    const late = await api('POST', '/v1/users/dave/push-enrollments', { proofId: stale });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('device_already_enrolled');
  });

  it('does not accept another user\'s approval as proof', async () => {
    await activate('erin');
    const challengeId = randomUUID();
    await producer.publish(createEvent('vigil.challenge.approved', {
      tenantId: tenant, userId: 'frank', challengeId, deviceId: randomUUID(), decidedAt: new Date().toISOString(), context: {},
    }, { source: 'urn:vigil:verification' }));
    await waitFor(async () => (await redis.exists(`enrollment:proof:{${tenant}}:${challengeId}`)) === 1, { what: 'the proof' });
    expect((await api('POST', '/v1/users/erin/push-enrollments', { proofId: challengeId })).status).toBe(409);
  });

  it('answers used, expired and unknown activation codes with the same 410', async () => {
    const used = await enroll('gina');
    await VigilDevice.activate(used.activationUri, { platform: 'web' });
    const expired = await enroll('hank');
    const answers: ActivationError[] = [];
    const attempt = (uri: string) => VigilDevice.activate(uri, { platform: 'web' }).then(
      () => { throw new Error('activation should fail'); },
      (error: ActivationError) => void answers.push(error),
    );
    await attempt(used.activationUri);
    clockOffsetMs = 10 * 60_000 + 1_000;
    await attempt(expired.activationUri);
    await attempt(`vigil://activate?code=${randomBytes(20).toString('base64url')}&api=${encodeURIComponent(baseUrl)}`);
    expect(answers.map((error) => [error.status, error.code])).toEqual([[410, 'activation_code_invalid'], [410, 'activation_code_invalid'], [410, 'activation_code_invalid']]);
    expect(new Set(answers.map((error) => error.message)).size).toBe(1);
  });

  it('throttles activation brute force from one address with 429 and Retry-After', async () => {
    const guess = () => VigilDevice.activate(`vigil://activate?code=${randomBytes(20).toString('base64url')}&api=${encodeURIComponent(baseUrl)}`, { platform: 'web' })
      .catch((error: ActivationError) => error);
    for (let i = 0; i < 5; i += 1) expect((await guess()) as ActivationError).toMatchObject({ status: 410 });
    // Even a valid code is refused while the address is blocked.
    const valid = await enroll('ivan');
    const keys = await generateDeviceKeys();
    const body = JSON.stringify({ activationCode: valid.activationCode, publicKey: keys.publicKey, platform: 'web' });
    const headers = await signRequest(keys, { method: 'POST', pathWithQuery: '/v1/enrollments/activate', body });
    const blocked = await fetch(`${baseUrl}/v1/enrollments/activate`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });
    expect(blocked.status).toBe(429);
    expect(((await blocked.json()) as { code: string }).code).toBe('throttled');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('lets a device unenroll itself and publishes a tombstone once no factor is left', async () => {
    const device = await activate('judy');
    await waitFor(() => latestFactors('judy'), { what: 'judy\'s snapshot' });
    expect((await device.request(baseUrl, 'DELETE', '/v1/device')).status).toBe(204);
    await waitFor(() => latestFactors('judy') === null, { what: 'a tombstone for judy' });
    expect((await api('GET', '/v1/users/judy/factors')).body['push']).toBeNull();
  });

  it('switches a device to poll mode when its push token is reported invalid', async () => {
    const device = await activate('kate', { pushToken: 'fcm-token-kate-secret' });
    expect((await api('GET', '/v1/users/kate/factors')).body['push']).toMatchObject({ channel: 'fcm' });
    await producer.publish(createEvent('vigil.notification.token-invalid', {
      tenantId: tenant, userId: 'kate', deviceId: device.deviceId, challengeId: null, errorCode: 'messaging/registration-token-not-registered', detectedAt: new Date().toISOString(),
    }, { source: 'urn:vigil:notification' }));
    await waitFor(async () => ((await api('GET', '/v1/users/kate/factors')).body['push'] as { channel: string }).channel === 'poll', { what: 'poll mode' });
  });

  it('shows a push suspension learned from vigil.user-risk.v1', async () => {
    const until = new Date(Date.now() + 3_600_000).toISOString();
    await producer.publish(createEvent('vigil.user.push-suspended', { tenantId: tenant, userId: 'liam', until, rule: 'fatigue_acceptance', alertId: null, suspendedAt: new Date().toISOString() }, { source: 'urn:vigil:anomaly-detection' }));
    await waitFor(async () => (await api('GET', '/v1/users/liam/factors')).body['pushSuspendedUntil'] === until, { what: 'the suspension' });
  });

  it('keeps tenants apart', async () => {
    await activate('mia');
    expect((await api('GET', '/v1/users/mia/factors', undefined, OTHER_ADMIN)).body).toMatchObject({ push: null });
    expect((await api('GET', '/v1/users/mia/factors', undefined, AUTH)).status).toBe(403);
  });
});

describe('TOTP enrollment', () => {
  it('activates only after a valid code, replaces the old secret on confirm, and can be removed', async () => {
    const first = await api('POST', '/v1/users/nora/totp-enrollments', { issuer: 'Acme', accountName: 'nora@acme.test' });
    expect(first.status).toBe(201);
    const secret = String(first.body['secret']);
    secretsSeen.push(secret);
    expect(Buffer.from(secret, 'utf8').length).toBe(32); // 160 bits in base32
    expect(String(first.body['otpauthUri'])).toMatch(/^otpauth:\/\/totp\/Acme:nora%40acme\.test\?.*issuer=Acme/);
    expect((await api('GET', '/v1/users/nora/factors')).body['totp']).toBeNull();

    const wrong = await api('POST', `/v1/users/nora/totp-enrollments/${first.body['enrollmentId']}/confirm`, { code: '000000' === totpCode(secret) ? '111111' : '000000' });
    expect(wrong.status).toBe(422);
    expect(wrong.body.code).toBe('invalid_code');

    const code = totpCode(secret);
    secretsSeen.push(code);
    const confirmed = await api('POST', `/v1/users/nora/totp-enrollments/${first.body['enrollmentId']}/confirm`, { code });
    expect(confirmed).toMatchObject({ status: 200, body: { confirmed: true } });
    expect((await api('GET', '/v1/users/nora/factors')).body['totp']).toMatchObject({ confirmed: true });
    const snapshot = await waitFor(() => (latestFactors('nora')?.totp ? latestFactors('nora') ?? undefined : undefined), { what: 'nora\'s TOTP snapshot' });
    expect(JSON.stringify(snapshot)).not.toContain(secret);
    expect(snapshot.totp?.secret.keyId).toBe('k1');

    expect((await api('DELETE', '/v1/users/nora/totp')).status).toBe(204);
    expect((await api('GET', '/v1/users/nora/factors')).body['totp']).toBeNull();
    await waitFor(() => latestFactors('nora') === null, { what: 'a tombstone for nora' });
  });
});

describe('input checks', () => {
  it.each([
    ['POST', '/v1/users/alice/push-enrollments', { replace: 'yes' }],
    ['POST', '/v1/users/alice/push-enrollments', { unknown: true }],
    ['POST', '/v1/users/alice/push-enrollments', '{"replace": tru'],
    ['POST', '/v1/users/bad%20user!/push-enrollments', {}],
    ['POST', '/v1/users/alice/totp-enrollments', { issuer: 7 }],
    ['POST', '/v1/users/alice/totp-enrollments/x/confirm', {}],
    ['POST', '/v1/users/alice/totp-enrollments/x/confirm', { code: 123456 }],
    ['POST', `/v1/users/${'u'.repeat(129)}/totp-enrollments`, {}],
  ])('%s %s with a bad body answers 400 problem+json', async (method, path, body) => {
    const response = await api(method, path, body);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body.code).toBe('validation_failed');
  });

  it('answers bad activation bodies with 400, whatever the signature', async () => {
    for (const body of ['{}', '{"activationCode":"x","publicKey":"short","platform":"ios"}', '{"activationCode":"x","publicKey":"' + 'A'.repeat(43) + '","platform":"pc"}', 'nope']) {
      const headers = { 'content-type': 'application/json', 'x-vigil-timestamp': String(Date.now()), 'x-vigil-signature': 'x' };
      const response = await fetch(`${baseUrl}/v1/enrollments/activate`, { method: 'POST', headers, body });
      expect(response.status).toBe(400);
      expect((await response.json() as { code: string }).code).toBe('validation_failed');
    }
  });

  it('rejects an activation not signed by the key it presents', async () => {
    const started = await enroll('olga');
    const body = JSON.stringify({ activationCode: started.activationCode, publicKey: 'A'.repeat(43), platform: 'ios' });
    const headers = await signRequest(await generateDeviceKeys(), { method: 'POST', pathWithQuery: '/v1/enrollments/activate', body });
    const response = await fetch(`${baseUrl}/v1/enrollments/activate`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });
    expect(response.status).toBe(401);
  });
});

describe('enrollment events', () => {
  it('publishes every change on vigil.enrollment.v1 without secrets', async () => {
    const expected = ['vigil.push.enrollment-started', 'vigil.push.device-activated', 'vigil.push.device-revoked', 'vigil.push.token-updated', 'vigil.totp.enrolled', 'vigil.totp.removed'];
    await waitFor(() => expected.every((type) => enrollmentEvents.some((event) => event.type === type)), { what: 'every enrollment event type' });
    const revoked = enrollmentEvents.filter((event) => event.type === 'vigil.push.device-revoked').map((event) => event.data['reason']);
    expect(new Set(revoked)).toEqual(new Set(['replaced', 'self']));
    const text = JSON.stringify(enrollmentEvents);
    for (const secret of secretsSeen) expect(text).not.toContain(secret);
  });
});

describe('logs', () => {
  it('never contain activation codes, TOTP secrets or codes, or push tokens', () => {
    const text = logLines.join('');
    expect(secretsSeen.length).toBeGreaterThan(5);
    for (const secret of secretsSeen) expect(text).not.toContain(secret);
  });
});
