import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { VigilError } from '@vigil/errors';
import Type from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testInfra } from '@vigil/testkit/vitest';
import { deviceRequestMessage, ed25519SigningKey, toBase64Url } from '@vigil/crypto';
import { createLogger } from '@vigil/logger';
import {
  callerOf,
  createHttpApp,
  deviceOf,
  parseApiKeys,
  redisReplayGuard,
  staticApiKeys,
  type Device,
  type VigilApp,
} from '../src/index.ts';

const redis = new Redis(testInfra().redisUrl);
const deviceKey = ed25519SigningKey(toBase64Url(randomBytes(32)));
const device: Device = { tenantId: 'acme', userId: 'alice', deviceId: 'dev-1', publicKey: deviceKey.publicKey };
let redisUp = true;
let app: VigilApp;

function signed(method: 'GET' | 'POST', url: string, body = '', options: { timestamp?: number; deviceId?: string } = {}) {
  const timestamp = String(options.timestamp ?? Date.now());
  const signature = deviceKey.sign(deviceRequestMessage({ method, pathWithQuery: url, timestamp, rawBody: body }));
  return {
    method,
    url,
    payload: body || undefined,
    headers: {
      'x-vigil-device': options.deviceId ?? device.deviceId,
      'x-vigil-timestamp': timestamp,
      'x-vigil-signature': signature,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
  } as const;
}

function expectProblem(response: { statusCode: number; headers: Record<string, unknown>; json(): unknown }, status: number, code: string) {
  expect(response.statusCode).toBe(status);
  expect(String(response.headers['content-type'])).toMatch(/^application\/problem\+json/);
  expect(response.json()).toMatchObject({ status, code, type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
}

beforeAll(async () => {
  app = createHttpApp({
    service: 'http-test',
    logger: createLogger({ name: 'http-test', level: 'silent' }),
    apiKeys: staticApiKeys(parseApiKeys('acme:admin:admin-key-1,acme:auth:auth-key-1')),
    deviceAuth: {
      devices: { findActive: async (id) => (id === device.deviceId ? device : null) },
      replayGuard: redisReplayGuard(redis, `http-test:${randomUUID()}`),
    },
    readiness: [{ name: 'redis', check: async () => redisUp && (await redis.ping()) === 'PONG' }],
  });
  app.post('/v1/things', {
    config: { scope: 'admin' },
    schema: { body: Type.Object({ name: Type.String({ minLength: 1 }), count: Type.Optional(Type.Integer()) }, { additionalProperties: false }) },
  }, async (request) => ({ tenantId: callerOf(request).tenantId, name: request.body.name }));
  app.get('/v1/things', { config: { scope: 'admin' }, schema: { querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })) }, { additionalProperties: false }) } },
    async (request) => ({ limit: request.query.limit ?? null }));
  app.post('/v1/device/echo', { config: { deviceAuth: 'device' }, schema: { body: Type.Object({ say: Type.String() }, { additionalProperties: false }) } },
    async (request) => ({ deviceId: deviceOf(request).deviceId, said: request.body.say }));
  app.get('/v1/device/me', { config: { deviceAuth: 'device' } }, async (request) => ({ userId: deviceOf(request).userId }));
  app.get('/v1/failures/:kind', { config: { scope: 'admin' } }, async (request) => {
    const { kind } = request.params as { kind: string };
    if (kind === 'refusal') throw new VigilError('throttled', 'too many', { retryAfterMs: 1_200 });
    if (kind === 'outage') throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' });
    const bug: { name?: string } | undefined = undefined;
    return bug!.name;
  });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  redis.disconnect();
});

const admin = { authorization: 'Bearer admin-key-1', 'content-type': 'application/json' };

describe('one error handler', () => {
  it('answers a refusal with its contract code and Retry-After in whole seconds', async () => {
    const response = await app.inject({ method: 'GET', url: '/v1/failures/refusal', headers: admin });
    expectProblem(response, 429, 'throttled');
    expect(response.headers['retry-after']).toBe('2');
  });

  it('answers a dependency outage with 503 unavailable', async () => {
    expectProblem(await app.inject({ method: 'GET', url: '/v1/failures/outage', headers: admin }), 503, 'unavailable');
  });

  it('answers a bug with 500 internal_error, never dressed up as an outage, and tells nothing of it', async () => {
    const response = await app.inject({ method: 'GET', url: '/v1/failures/bug', headers: admin });
    expectProblem(response, 500, 'internal_error');
    expect(response.body).not.toContain('TypeError');
  });
});

describe('problem+json validation', () => {
  it('answers bad JSON with 400 validation_failed', async () => {
    expectProblem(await app.inject({ method: 'POST', url: '/v1/things', headers: admin, payload: '{"name": ' }), 400, 'validation_failed');
  });

  it('answers an unknown field with 400 validation_failed naming it', async () => {
    const response = await app.inject({ method: 'POST', url: '/v1/things', headers: admin, payload: { name: 'a', colour: 'red' } });
    expectProblem(response, 400, 'validation_failed');
    expect((response.json() as { detail: string }).detail).toContain('colour');
  });

  it('answers a wrong type with 400 validation_failed instead of coercing it', async () => {
    expectProblem(await app.inject({ method: 'POST', url: '/v1/things', headers: admin, payload: { name: 'a', count: '3' } }), 400, 'validation_failed');
    expectProblem(await app.inject({ method: 'POST', url: '/v1/things', headers: admin, payload: { name: 7 } }), 400, 'validation_failed');
  });

  it('answers a bad query string with 400 and coerces a good one', async () => {
    expectProblem(await app.inject({ method: 'GET', url: '/v1/things?limit=abc', headers: admin }), 400, 'validation_failed');
    expectProblem(await app.inject({ method: 'GET', url: '/v1/things?limit=5&x=1', headers: admin }), 400, 'validation_failed');
    expect((await app.inject({ method: 'GET', url: '/v1/things?limit=5', headers: admin })).json()).toEqual({ limit: 5 });
  });

  it('refuses prototype poisoning, other media types, huge bodies and unknown routes without a 5xx', async () => {
    expectProblem(await app.inject({ method: 'POST', url: '/v1/things', headers: admin, payload: '{"name":"a","__proto__":{"x":1}}' }), 400, 'validation_failed');
    expectProblem(await app.inject({ method: 'POST', url: '/v1/things', headers: { ...admin, 'content-type': 'text/plain' }, payload: 'hi' }), 415, 'unsupported_media_type');
    expectProblem(await app.inject({ method: 'POST', url: '/v1/things', headers: admin, payload: JSON.stringify({ name: 'x'.repeat(1024 * 1024) }) }), 413, 'payload_too_large');
    expectProblem(await app.inject({ method: 'GET', url: '/v1/nowhere' }), 404, 'not_found');
    expectProblem(await app.inject({ method: 'POST', url: '/v1/things', headers: admin }), 400, 'validation_failed');
  });
});

describe('API keys', () => {
  it('answers 401 unauthorized without a key or with an unknown one', async () => {
    expectProblem(await app.inject({ method: 'POST', url: '/v1/things', payload: { name: 'a' } }), 401, 'unauthorized');
    expectProblem(await app.inject({ method: 'POST', url: '/v1/things', headers: { authorization: 'Bearer nope-nope-nope' }, payload: { name: 'a' } }), 401, 'unauthorized');
  });

  it('answers 403 forbidden for a key of another scope', async () => {
    expectProblem(await app.inject({ method: 'POST', url: '/v1/things', headers: { authorization: 'Bearer auth-key-1' }, payload: { name: 'a' } }), 403, 'forbidden');
  });

  it('lets a key of the right scope through with its tenant', async () => {
    const response = await app.inject({ method: 'POST', url: '/v1/things', headers: admin, payload: { name: 'a' } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ tenantId: 'acme', name: 'a' });
  });
});

describe('device signatures', () => {
  it('accepts a device-signed request, with and without a body', async () => {
    const post = await app.inject(signed('POST', '/v1/device/echo', '{"say":"hi"}'));
    expect(post.statusCode).toBe(200);
    expect(post.json()).toEqual({ deviceId: 'dev-1', said: 'hi' });
    const get = await app.inject(signed('GET', '/v1/device/me?x=1'.replace('?x=1', '')));
    expect(get.json()).toEqual({ userId: 'alice' });
  });

  it('rejects a tampered body with 401 invalid_signature', async () => {
    const request = signed('POST', '/v1/device/echo', '{"say":"hi"}');
    expectProblem(await app.inject({ ...request, payload: '{"say":"ho"}' }), 401, 'invalid_signature');
  });

  it('rejects a replayed request with 401 replayed', async () => {
    const request = signed('POST', '/v1/device/echo', '{"say":"once"}');
    expect((await app.inject(request)).statusCode).toBe(200);
    expectProblem(await app.inject(request), 401, 'replayed');
  });

  it('rejects stale timestamps, unknown devices and missing headers with 401 invalid_signature', async () => {
    expectProblem(await app.inject(signed('GET', '/v1/device/me', '', { timestamp: Date.now() - 61_000 })), 401, 'invalid_signature');
    expectProblem(await app.inject(signed('GET', '/v1/device/me', '', { deviceId: 'dev-unknown' })), 401, 'invalid_signature');
    expectProblem(await app.inject({ method: 'GET', url: '/v1/device/me' }), 401, 'invalid_signature');
  });
});

describe('health, readiness and metrics', () => {
  it('reports ready only while its dependencies answer', async () => {
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready', checks: { redis: 'up' } });
    redisUp = false;
    try {
      const down = await app.inject({ method: 'GET', url: '/readyz' });
      expect(down.statusCode).toBe(503);
      expect(down.json()).toMatchObject({ checks: { redis: 'down' } });
    } finally {
      redisUp = true;
    }
  });

  it('serves Prometheus metrics with request latencies', async () => {
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.body).toContain('vigil_http_request_duration_seconds_bucket');
    expect(response.body).toContain('process_cpu_seconds_total');
  });
});
