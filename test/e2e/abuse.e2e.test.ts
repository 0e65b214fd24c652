import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { VigilDevice, generateDeviceKeys, signRequest, type DeviceKeys } from '@vigil/device-sdk';
import { nodeEd25519 } from '@vigil/device-sdk/node';

// Abuse, across process boundaries: generated bad requests against every route of CONTRACT.md must never get a 5xx
// and always get problem+json; forged, replayed and stale device signatures must never be accepted.

const stack = inject('stack') as { services: Record<'enrollment' | 'challenge' | 'verification' | 'notification' | 'anomaly-detection', string> };
type ServiceName = keyof typeof stack.services;

interface Route { service: ServiceName; method: string; path: string }

const ROUTES: Route[] = [
  { service: 'enrollment', method: 'POST', path: '/v1/users/{userId}/push-enrollments' },
  { service: 'enrollment', method: 'POST', path: '/v1/enrollments/activate' },
  { service: 'enrollment', method: 'GET', path: '/v1/users/{userId}/factors' },
  { service: 'enrollment', method: 'DELETE', path: '/v1/users/{userId}/push-device' },
  { service: 'enrollment', method: 'PUT', path: '/v1/device/push-token' },
  { service: 'enrollment', method: 'DELETE', path: '/v1/device' },
  { service: 'enrollment', method: 'POST', path: '/v1/users/{userId}/totp-enrollments' },
  { service: 'enrollment', method: 'POST', path: '/v1/users/{userId}/totp-enrollments/{enrollmentId}/confirm' },
  { service: 'enrollment', method: 'DELETE', path: '/v1/users/{userId}/totp' },
  { service: 'challenge', method: 'POST', path: '/v1/challenges' },
  { service: 'challenge', method: 'GET', path: '/v1/challenges/{challengeId}' },
  { service: 'challenge', method: 'DELETE', path: '/v1/challenges/{challengeId}' },
  { service: 'challenge', method: 'DELETE', path: '/v1/users/{userId}/push-suspension' },
  { service: 'verification', method: 'GET', path: '/v1/device/challenges/pending' },
  { service: 'verification', method: 'GET', path: '/v1/device/challenges/{challengeId}' },
  { service: 'verification', method: 'POST', path: '/v1/device/challenges/{challengeId}/response' },
  { service: 'verification', method: 'POST', path: '/v1/totp/verify' },
  { service: 'anomaly-detection', method: 'GET', path: '/v1/alerts' },
  { service: 'anomaly-detection', method: 'DELETE', path: '/v1/users/{userId}/push-suspension' },
];
const OPERATOR_PATHS = ['/healthz', '/readyz', '/metrics'];

// Keys of the e2e stack's `abuse` tenant (global-setup), so that what the generated requests set off (throttles,
// alerts, suspensions) stays away from the other files' users. Bad input must fail the same way with a valid key as
// without one: both are exercised.
const AUTH_HEADERS = ['', 'Bearer abuse-admin-key', 'Bearer abuse-auth-key', 'Bearer abuse-soc-key', 'Bearer globex-auth-key', 'Bearer ', 'Basic ZGV2OmtleQ==', 'Bearer x'.repeat(500)];
const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', ''];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

const segment = fc.oneof(
  fc.string({ maxLength: 40 }).map(encodeURIComponent),
  fc.constantFrom('..', '%2e%2e%2f', '%00', '%E0%A4%A', '%', 'a'.repeat(3000), '__proto__', 'constructor', 'acme', '%F0%9F%98%80'),
  fc.uuid(),
);

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const body = fc.oneof(
  fc.json({ maxDepth: 4 }),
  fc.string({ maxLength: 200 }),
  fc.constantFrom('', '{', 'null', '"text"', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}', nested(5_000), '{"userId":"'.concat('x'.repeat(5_000), '"}'), '\u0000\u0001', '{"a":1e999999}'),
  fc.record({
    userId: fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.constant('u'.repeat(1_000))),
    context: fc.oneof(fc.object(), fc.string(), fc.constant({ ip: 'not-an-ip', location: { lat: 1e308, lon: 'x' } })),
    code: fc.oneof(fc.string(), fc.integer()),
    decision: fc.oneof(fc.constantFrom('approve', 'deny', 'report'), fc.string()),
    numberMatch: fc.oneof(fc.string(), fc.integer()),
    activationCode: fc.string(),
    publicKey: fc.string(),
    platform: fc.string(),
    pushToken: fc.oneof(fc.string(), fc.constant(null)),
    replace: fc.oneof(fc.boolean(), fc.string()),
    proofId: fc.string(),
  }, { requiredKeys: [] }).map((value) => JSON.stringify(value)),
);

const query = fc.oneof(
  fc.constant(''),
  fc.constantFrom('?waitSeconds=-1', '?waitSeconds=31', '?waitSeconds=abc', '?waitSeconds=0&waitSeconds=1', '?limit=100000', '?since=yesterday', '?userId=' + 'x'.repeat(2_000), '?__proto__[x]=1', '?%'),
  fc.dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 20 }), { maxKeys: 3 }).map((entries) => `?${new URLSearchParams(entries).toString()}`),
);

const badRequest = fc.record({
  route: fc.constantFrom(...ROUTES),
  method: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom(...METHODS) }),
  params: fc.array(segment, { minLength: 3, maxLength: 3 }),
  query,
  auth: fc.constantFrom(...AUTH_HEADERS),
  contentType: fc.constantFrom(...CONTENT_TYPES),
  body,
  deviceHeaders: fc.option(fc.record({
    'x-vigil-device': fc.oneof(fc.uuid(), fc.string({ maxLength: 50 })),
    'x-vigil-timestamp': fc.oneof(fc.string({ maxLength: 20 }), fc.integer().map(String), fc.constant(String(Date.now()))),
    'x-vigil-signature': fc.oneof(fc.string({ maxLength: 100 }), fc.uint8Array({ minLength: 64, maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString('base64url'))),
  })),
});

interface Answer { status: number; contentType: string; text: string }

/** A large body over node:http: the server answers and closes before reading it all, so writing may hit EPIPE. */
function sendLarge(url: string, method: string, headers: Record<string, string>, body: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => void (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, contentType: String(response.headers['content-type'] ?? ''), text }));
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    request.end(body);
  });
}

async function send(url: string, init: { method: string; headers: Record<string, string>; body?: string }): Promise<Answer> {
  const response = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(15_000) });
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text() };
}

function expectProblemOrSuccess(answer: Answer, what: string): void {
  expect(answer.status, what).toBeLessThan(500);
  if (answer.status >= 400) {
    expect(answer.contentType, what).toMatch(/^application\/problem\+json/);
    const problem = JSON.parse(answer.text) as { code?: unknown; status?: unknown };
    expect(typeof problem.code, what).toBe('string');
    expect(problem.status, what).toBe(answer.status);
  }
}

// Ten thousand rejected-signature events are real work for the consumers (anomaly-detection judges each one): let them
// drain, so that the files after this one see alerts as promptly as a normal day would give them.
afterAll(async () => {
  const behind = async () => {
    let total = 0;
    for (const base of Object.values(stack.services)) {
      const metrics = await (await fetch(`${base}/metrics`)).text();
      for (const match of metrics.matchAll(/^vigil_consumer_lag_messages\{[^}]*\} (\d+)/gm)) total += Number(match[1]);
    }
    return total;
  };
  const deadline = Date.now() + 240_000;
  while (Date.now() < deadline && (await behind()) > 0) await new Promise((resolve) => setTimeout(resolve, 1_000));
}, 250_000);

describe('abuse (five processes)', () => {
  it('answers 10,000 generated bad requests across every route with problem+json, never a 5xx', async () => {
    let sent = 0;
    const statuses = new Map<number, number>();
    await fc.assert(fc.asyncProperty(badRequest, async (request) => {
      const [first = 'x', second = 'y', third = 'z'] = request.params;
      const path = request.route.path.replace('{userId}', first).replace('{challengeId}', second).replace('{enrollmentId}', third);
      const method = request.method ?? request.route.method;
      const headers: Record<string, string> = { ...(request.deviceHeaders ?? {}) };
      if (request.auth) headers['authorization'] = request.auth;
      const withBody = method !== 'GET' && method !== 'OPTIONS';
      if (withBody && request.contentType) headers['content-type'] = request.contentType;
      // A waiting long poll is no abuse: cap it, the property is about the answer.
      const answer = await send(`${stack.services[request.route.service]}${path}${request.query.replace(/waitSeconds=\d{2,}/, 'waitSeconds=0')}`, {
        method, headers, ...(withBody ? { body: request.body } : {}),
      });
      sent += 1;
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      expectProblemOrSuccess(answer, `${method} ${request.route.service}${path}${request.query}`);
    }), { numRuns: 10_000, verbose: 1 });
    // Unknown paths and methods on every service, and the operator routes with bodies.
    for (const service of Object.keys(stack.services) as ServiceName[]) {
      for (const path of [...OPERATOR_PATHS, '/', '/v2/anything', '/v1/%', '/v1/users/x/unknown']) {
        expectProblemOrSuccess(await send(`${stack.services[service]}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' }), `${service} POST ${path}`);
        sent += 1;
      }
    }
    expect(sent).toBeGreaterThanOrEqual(10_000);
    console.log(`abuse: ${sent} bad requests, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
  }, 600_000);

  it('refuses 10,000 forged, replayed and stale signatures', async () => {
    const admin = await send(`${stack.services.enrollment}/v1/users/mallory-target/push-enrollments`, {
      method: 'POST', headers: { authorization: 'Bearer abuse-admin-key', 'content-type': 'application/json' }, body: '{}',
    });
    const activationUri = String((JSON.parse(admin.text) as { activationUri: string }).activationUri);
    const device = await VigilDevice.activate(activationUri, { platform: 'android', pushToken: null, engine: nodeEd25519 });
    const attacker: DeviceKeys = await generateDeviceKeys(nodeEd25519);
    const targets = [
      { base: stack.services.verification, method: 'GET', path: '/v1/device/challenges/pending?waitSeconds=0', body: '' },
      { base: stack.services.verification, method: 'GET', path: `/v1/device/challenges/${crypto.randomUUID()}`, body: '' },
      { base: stack.services.enrollment, method: 'PUT', path: '/v1/device/push-token', body: JSON.stringify({ pushToken: 'attacker-token' }) },
    ];
    // The activation answered once every service knew the device (CONTRACT §2): a genuine request succeeds at once.
    expect((await device.request(stack.services.verification, 'GET', '/v1/device/challenges/pending?waitSeconds=0')).status).toBe(200);

    const forgeries: Record<string, number> = {};
    let accepted = 0;
    let sent = 0;
    const attempt = async (kind: string, target: (typeof targets)[number], headers: Record<string, string>, body = target.body) => {
      const answer = await send(`${target.base}${target.path}`, {
        method: target.method,
        headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body } : {}),
      });
      sent += 1;
      forgeries[kind] = (forgeries[kind] ?? 0) + 1;
      if (answer.status < 300) accepted += 1;
      expect(answer.status, kind).toBeLessThan(500);
      expect(answer.contentType, kind).toMatch(/^application\/problem\+json/);
    };
    const signed = (keys: DeviceKeys, target: (typeof targets)[number], overrides: { timestampMs?: number; path?: string; body?: string; method?: string } = {}) =>
      signRequest(keys, { method: overrides.method ?? target.method, pathWithQuery: overrides.path ?? target.path, body: overrides.body ?? target.body, deviceId: device.deviceId, ...(overrides.timestampMs ? { timestampMs: overrides.timestampMs } : {}) });

    const kinds: ((target: (typeof targets)[number], i: number) => Promise<void>)[] = [
      async (target) => attempt('random signature', target, { 'x-vigil-device': device.deviceId, 'x-vigil-timestamp': String(Date.now()), 'x-vigil-signature': randomBytes(64).toString('base64url') }),
      async (target) => attempt('attacker key', target, await signed(attacker, target)),
      async (target, i) => attempt('other path', target, await signed(device.keys, target, { path: `${target.path.split('?')[0]}?n=${i}` })),
      async (target, i) => (target.method === 'GET'
        ? attempt('other query', target, await signed(device.keys, target, { path: `${target.path}&x=${i}` }))
        : attempt('other body', target, await signed(device.keys, target, { body: '{"pushToken":null}' }))),
      async (target) => attempt('other method', target, await signed(device.keys, target, { method: target.method === 'GET' ? 'DELETE' : 'GET' })),
      async (target) => attempt('stale', target, await signed(device.keys, target, { timestampMs: Date.now() - 10 * 60_000 })),
      async (target) => attempt('future', target, await signed(device.keys, target, { timestampMs: Date.now() + 10 * 60_000 })),
      async (target) => {
        const headers = await signed(device.keys, target);
        await attempt('tampered timestamp', target, { ...headers, 'x-vigil-timestamp': String(Number(headers['x-vigil-timestamp']) + 1) });
      },
      async (target) => attempt('unknown device', target, { ...(await signed(attacker, target)), 'x-vigil-device': crypto.randomUUID() }),
      async (target) => {
        const headers = await signed(device.keys, target);
        const bytes = Buffer.from(headers['x-vigil-signature'] ?? '', 'base64url');
        bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0x01;
        await attempt('bit flip', target, { ...headers, 'x-vigil-signature': bytes.toString('base64url') });
      },
    ];
    // Replays: a genuine request goes through once (not counted); the same bytes again are refused.
    // Ed25519 is deterministic: two replays signed in the same millisecond would be the same bytes, so each gets its own.
    const usedTimestamps = new Set<number>();
    const replay = async () => {
      const target = targets[0] as (typeof targets)[number];
      let timestampMs = Date.now();
      while (usedTimestamps.has(timestampMs)) timestampMs -= 1;
      usedTimestamps.add(timestampMs);
      const headers = await signed(device.keys, target, { timestampMs });
      const first = await send(`${target.base}${target.path}`, { method: 'GET', headers });
      expect(first.status, first.text).toBe(200);
      await attempt('replay', target, headers);
    };

    const jobs: (() => Promise<void>)[] = [];
    for (let i = 0; i < 9_400; i += 1) jobs.push(() => (kinds[i % kinds.length] as (typeof kinds)[number])(targets[i % targets.length] as (typeof targets)[number], i));
    for (let i = 0; i < 600; i += 1) jobs.push(replay);
    await Promise.all(Array.from({ length: 16 }, async () => {
      for (let job = jobs.shift(); job; job = jobs.shift()) await job();
    }));
    console.log(`abuse: ${sent} forged requests, ${accepted} accepted; ${JSON.stringify(forgeries)}`);
    expect(sent).toBeGreaterThanOrEqual(10_000);
    expect(accepted).toBe(0);
    // The genuine device still works afterwards.
    expect((await device.request(stack.services.verification, 'GET', '/v1/device/challenges/pending?waitSeconds=0')).status).toBe(200);
  }, 600_000);

  it('turns away a 1 MB body with 413 on every service, before reading it all', async () => {
    const huge = JSON.stringify({ userId: 'x'.repeat(1_048_576) });
    const cases = [
      ['enrollment', 'POST', '/v1/users/u/push-enrollments', 'abuse-admin-key'],
      ['challenge', 'POST', '/v1/challenges', 'abuse-auth-key'],
      ['verification', 'POST', '/v1/totp/verify', 'abuse-auth-key'],
      ['anomaly-detection', 'DELETE', '/v1/users/u/push-suspension', 'abuse-admin-key'],
      // Operators' routes only: no route takes a body.
      ['notification', 'POST', '/readyz', 'abuse-admin-key'],
    ] as const;
    for (const [service, method, path, key] of cases) {
      const started = performance.now();
      const answer = await sendLarge(`${stack.services[service]}${path}`, method, { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, huge);
      const ms = performance.now() - started;
      expect(answer.status, service).toBe(413);
      expectProblemOrSuccess(answer, service);
      console.log(`abuse: 1 MB body to ${service} ${method} ${path}: ${answer.status} in ${ms.toFixed(1)} ms`);
    }
  });
});
