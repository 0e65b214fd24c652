import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import QRCode from 'qrcode';
import type { AlertListener } from './alert-feed.ts';
import { installRequestGuard, type RequestGuardOptions } from './request-guard.ts';

export interface ConsoleOptions {
  services: Record<'enrollment' | 'challenge' | 'verification' | 'anomaly-detection', string>;
  keys: { admin: string; auth: string; soc: string };
  /** Built web assets (index.html and its bundle). */
  webDir: string;
  alerts: { subscribe(listener: AlertListener): () => void };
  /** The console's own origins and the token every /api and /device request must carry (request-guard.ts). */
  guard: RequestGuardOptions;
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml' };
const DEVICE_HEADERS = ['x-vigil-device', 'x-vigil-timestamp', 'x-vigil-signature', 'content-type'];

// The page runs only its own bundle: whatever markup slips into it can neither run script (no inline script, no
// inline handlers), nor load a plugin, nor rebase its URLs, nor be framed (clickjacking the Approve button). QR codes
// are data: images; the timeline places its dots through CSSOM, which style-src does not govern.
const PAGE_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  // The page's URL carries the token on first load: never send it on as a Referer.
  'referrer-policy': 'no-referrer',
};

/**
 * The web console's server: the page, and a same-origin gateway to the public APIs of CONTRACT.md. Tenant keys stay
 * here (the browser never sees one); device requests pass through byte for byte, so their signatures verify at the
 * service exactly as if the browser had called it. A development console: do not expose it beyond your desk.
 */
export function buildConsoleApp(options: ConsoleOptions): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });
  installRequestGuard(app, options.guard);
  app.addHook('onSend', async (_request, reply) => void reply.headers(PAGE_HEADERS));
  // JSON only: fastify's default text/plain parser would let a cross-site <form enctype="text/plain"> through.
  // Device requests are signed over the exact body bytes: keep them as text.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  const forward = async (service: keyof ConsoleOptions['services'], method: string, path: string, headers: Record<string, string>, body?: string) => {
    const response = await fetch(`${options.services[service]}${path}`, { method, headers, ...(body ? { body } : {}) });
    const text = await response.text();
    return { status: response.status, type: response.headers.get('content-type') ?? 'application/json', retryAfter: response.headers.get('retry-after'), text };
  };
  const withKey = (key: string, body?: unknown) => ({ authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) });
  const send = (reply: FastifyReply, answer: Awaited<ReturnType<typeof forward>>) => {
    if (answer.retryAfter) void reply.header('retry-after', answer.retryAfter);
    return reply.status(answer.status).type(answer.type).send(answer.text || undefined);
  };
  const qr = (text: string) => QRCode.toString(text, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  const jsonBody = (body: unknown) => (typeof body === 'string' && body ? body : '{}');

  app.get('/readyz', { config: { access: 'page' } }, async () => ({ status: 'ready' }));

  // Admin
  app.post<{ Params: { userId: string } }>('/api/admin/users/:userId/push-enrollments', async (request, reply) => {
    const answer = await forward('enrollment', 'POST', `/v1/users/${encodeURIComponent(request.params.userId)}/push-enrollments`, withKey(options.keys.admin, {}), jsonBody(request.body));
    if (answer.status !== 201) return send(reply, answer);
    const started = JSON.parse(answer.text) as { activationUri: string };
    return reply.status(201).send({ ...started, qrSvg: await qr(started.activationUri) });
  });
  app.post<{ Params: { userId: string } }>('/api/admin/users/:userId/totp-enrollments', async (request, reply) => {
    const answer = await forward('enrollment', 'POST', `/v1/users/${encodeURIComponent(request.params.userId)}/totp-enrollments`, withKey(options.keys.admin, {}), jsonBody(request.body));
    if (answer.status !== 201) return send(reply, answer);
    const started = JSON.parse(answer.text) as { otpauthUri: string };
    return reply.status(201).send({ ...started, qrSvg: await qr(started.otpauthUri) });
  });
  app.post<{ Params: { userId: string; enrollmentId: string } }>('/api/admin/users/:userId/totp-enrollments/:enrollmentId/confirm', async (request, reply) =>
    send(reply, await forward('enrollment', 'POST', `/v1/users/${encodeURIComponent(request.params.userId)}/totp-enrollments/${encodeURIComponent(request.params.enrollmentId)}/confirm`, withKey(options.keys.admin, {}), jsonBody(request.body))));
  app.get<{ Params: { userId: string } }>('/api/admin/users/:userId/factors', async (request, reply) =>
    send(reply, await forward('enrollment', 'GET', `/v1/users/${encodeURIComponent(request.params.userId)}/factors`, withKey(options.keys.admin))));
  app.delete<{ Params: { userId: string } }>('/api/admin/users/:userId/push-suspension', async (request, reply) =>
    send(reply, await forward('anomaly-detection', 'DELETE', `/v1/users/${encodeURIComponent(request.params.userId)}/push-suspension`, withKey(options.keys.admin))));

  // Login simulator
  app.post('/api/login/challenges', async (request, reply) =>
    send(reply, await forward('challenge', 'POST', '/v1/challenges', withKey(options.keys.auth, {}), jsonBody(request.body))));
  app.get<{ Params: { challengeId: string }; Querystring: { waitSeconds?: string } }>('/api/login/challenges/:challengeId', async (request, reply) =>
    send(reply, await forward('challenge', 'GET', `/v1/challenges/${encodeURIComponent(request.params.challengeId)}?waitSeconds=${Number(request.query.waitSeconds ?? 0) || 0}`, withKey(options.keys.auth))));
  app.post<{ Body: string }>('/api/login/totp', async (request, reply) =>
    send(reply, await forward('verification', 'POST', '/v1/totp/verify', withKey(options.keys.auth, {}), jsonBody(request.body))));

  // SOC
  app.get<{ Querystring: Record<string, string> }>('/api/alerts', async (request, reply) =>
    send(reply, await forward('anomaly-detection', 'GET', `/v1/alerts?${new URLSearchParams(request.query).toString()}`, withKey(options.keys.soc))));
  app.get('/api/alerts/stream', { config: { access: 'token-in-query' } }, (request, reply) => {
    reply.hijack();
    reply.raw.writeHead(200, { ...PAGE_HEADERS, 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    reply.raw.write(': connected\n\n');
    const unsubscribe = options.alerts.subscribe((alert) => reply.raw.write(`event: alert\ndata: ${JSON.stringify(alert)}\n\n`));
    const keepAlive = setInterval(() => reply.raw.write(': keep-alive\n\n'), 15_000);
    request.raw.on('close', () => {
      clearInterval(keepAlive);
      unsubscribe();
    });
  });

  // The browser authenticator's device requests, passed through unchanged.
  app.all<{ Params: { service: string; '*': string } }>('/device/:service/*', async (request, reply) => {
    const service = request.params.service;
    if (service !== 'enrollment' && service !== 'verification') return reply.status(404).send({ code: 'not_found' });
    const path = request.url.slice(`/device/${service}`.length);
    const headers: Record<string, string> = {};
    for (const name of DEVICE_HEADERS) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    return send(reply, await forward(service, request.method, path, headers, typeof request.body === 'string' ? request.body : undefined));
  });

  // The page
  app.get('/*', { config: { access: 'page' } }, async (request, reply) => {
    const wanted = normalize(decodeURIComponent(request.url.split('?')[0] ?? '/')).replace(/^(\.\.[/\\])+/, '');
    const file = join(options.webDir, wanted === '/' ? 'index.html' : wanted);
    if (!file.startsWith(options.webDir)) return reply.status(404).send();
    try {
      return reply.type(TYPES[extname(file)] ?? 'application/octet-stream').send(await readFile(file));
    } catch {
      return reply.type(TYPES['.html'] as string).send(await readFile(join(options.webDir, 'index.html')));
    }
  });
  return app;
}
