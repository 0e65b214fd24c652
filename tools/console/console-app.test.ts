import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { freePort } from '@vigil/testkit';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { buildConsoleApp } from './console-app.ts';
import { TOKEN_HEADER, ownOrigins } from './request-guard.ts';

// The gateway's own checks, with fastify's inject and a recording stand-in for the services: what it refuses never
// reaches a service (and so never carries a tenant key).

const TOKEN = 'test-console-token-0123456789abcdef';
const OWN = 'http://127.0.0.1:8080';
const HOST = '127.0.0.1:8080';
const CHALLENGE = JSON.stringify({ userId: 'alice', context: { application: 'vpn' } });

interface Forwarded { method: string; url: string; headers: Record<string, string | string[] | undefined>; body: string }
let upstream: Server;
let upstreamUrl: string;
const forwarded: Forwarded[] = [];
let webDir: string;
let app: FastifyInstance;

beforeAll(async () => {
  upstream = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => void (body += chunk.toString()));
    request.on('end', () => {
      forwarded.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ challengeId: 'ch-1', numberMatch: '42' }));
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  webDir = mkdtempSync(join(tmpdir(), 'vigil-console-test-'));
  writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>Vigil console</title>');
});

afterAll(async () => {
  await new Promise((resolve) => upstream.close(resolve));
  rmSync(webDir, { recursive: true, force: true });
});

const consoleOn = (port: number) => buildConsoleApp({
  services: { enrollment: upstreamUrl, challenge: upstreamUrl, verification: upstreamUrl, 'anomaly-detection': upstreamUrl },
  keys: { admin: 'admin-key', auth: 'auth-key', soc: 'soc-key' },
  webDir,
  alerts: { subscribe: () => () => undefined },
  guard: { origins: ownOrigins(port), token: TOKEN },
});

beforeEach(async () => {
  forwarded.length = 0;
  app = consoleOn(8080);
  await app.ready();
});

afterEach(async () => {
  await app.close();
});

/** A request as the console's own page sends it; `overrides` replace or (as undefined) remove headers. */
const request = (options: InjectOptions, overrides: Record<string, string | undefined> = {}) => {
  const headers: Record<string, string> = { host: HOST, [TOKEN_HEADER]: TOKEN, ...(options.headers as Record<string, string> | undefined) };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
  return app.inject({ ...options, headers });
};
const createChallenge = (overrides: Record<string, string | undefined> = {}) =>
  request({ method: 'POST', url: '/api/login/challenges', headers: { 'content-type': 'application/json', origin: OWN }, payload: CHALLENGE }, overrides);

describe('console gateway', () => {
  it('forwards a request from its own page with the tenant key, and never forwards the console token', async () => {
    const answer = await createChallenge();
    expect(answer.statusCode).toBe(201);
    expect(forwarded).toHaveLength(1);
    expect(forwarded[0]?.headers['authorization']).toBe('Bearer auth-key');
    expect(forwarded[0]?.headers[TOKEN_HEADER]).toBeUndefined();
    expect(forwarded[0]?.body).toBe(CHALLENGE);
  });

  it('answers 401 to /api and /device requests without the token or with a wrong one', async () => {
    const refused = [
      await createChallenge({ [TOKEN_HEADER]: undefined }),
      await createChallenge({ [TOKEN_HEADER]: `${TOKEN}x` }),
      await createChallenge({ [TOKEN_HEADER]: '' }),
      await request({ method: 'GET', url: '/api/alerts' }, { [TOKEN_HEADER]: undefined }),
      await request({ method: 'GET', url: '/api/admin/users/alice/factors' }, { [TOKEN_HEADER]: 'wrong' }),
      await request({ method: 'GET', url: '/device/verification/v1/device/challenges/pending' }, { [TOKEN_HEADER]: undefined }),
      // The query parameter is for the SSE stream only.
      await request({ method: 'GET', url: `/api/alerts?token=${TOKEN}` }, { [TOKEN_HEADER]: undefined }),
    ];
    for (const answer of refused) {
      expect(answer.statusCode).toBe(401);
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(answer.json()).toMatchObject({ status: 401, code: 'console_token_required' });
    }
    expect(forwarded).toEqual([]);
  });

  it('answers 403 to a Host that is not its own (DNS rebinding), even with the token', async () => {
    for (const host of ['attacker.example', 'attacker.example:8080', '127.0.0.1:9999', '127.0.0.1']) {
      const page = await request({ method: 'GET', url: '/' }, { host });
      const api = await createChallenge({ host, origin: `http://${host}` });
      for (const answer of [page, api]) {
        expect(answer.statusCode).toBe(403);
        expect(answer.json()).toMatchObject({ code: 'host_not_allowed' });
      }
    }
    expect((await request({ method: 'GET', url: '/' }, { host: 'LOCALHOST:8080' })).statusCode).toBe(200);
    expect(forwarded).toEqual([]);
  });

  it('answers 403 to a non-GET request from another origin, even with the token', async () => {
    for (const origin of ['http://127.0.0.1:9999', 'http://attacker.example', 'null', 'http://127.0.0.1:8080.attacker.example']) {
      const answer = await createChallenge({ origin });
      expect(answer.statusCode).toBe(403);
      expect(answer.json()).toMatchObject({ code: 'origin_not_allowed' });
    }
    expect(forwarded).toEqual([]);
    // No Origin at all (curl, a script on this machine) is left to the token.
    expect((await createChallenge({ origin: undefined })).statusCode).toBe(201);
    expect((await createChallenge({ origin: 'http://localhost:8080' })).statusCode).toBe(201);
  });

  it('answers 415 to bodies that are not application/json, before reading them', async () => {
    for (const contentType of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx']) {
      const answer = await createChallenge({ 'content-type': contentType });
      expect(answer.statusCode).toBe(415);
      expect(answer.json()).toMatchObject({ code: 'unsupported_media_type' });
    }
    const untyped = await request({ method: 'POST', url: '/api/login/challenges', payload: CHALLENGE });
    expect(untyped.statusCode).toBe(415);
    expect(forwarded).toEqual([]);
    expect((await createChallenge({ 'content-type': 'application/json; charset=utf-8' })).statusCode).toBe(201);
  });

  it('serves the page without the token, under a CSP with no inline script, nosniff and no referrer', async () => {
    const page = await request({ method: 'GET', url: '/?token=whatever' }, { [TOKEN_HEADER]: undefined });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<title>Vigil console</title>');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    for (const directive of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "img-src 'self' data:"]) expect(csp).toContain(directive);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect((await request({ method: 'GET', url: '/readyz' }, { [TOKEN_HEADER]: undefined })).statusCode).toBe(200);
  });

  it('takes the token of the SSE alert stream from its query, since EventSource cannot send a header', async () => {
    const port = await freePort();
    const live = consoleOn(port);
    const base = await live.listen({ port, host: '127.0.0.1' });
    onTestFinished(() => live.close());
    expect((await fetch(`${base}/api/alerts/stream`)).status).toBe(401);
    expect((await fetch(`${base}/api/alerts/stream?token=wrong`)).status).toBe(401);
    const abort = new AbortController();
    const stream = await fetch(`${base}/api/alerts/stream?token=${TOKEN}`, { signal: abort.signal });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toBe('text/event-stream');
    abort.abort();
  });
});
