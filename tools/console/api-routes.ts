import type { FastifyInstance, FastifyReply } from 'fastify';
import QRCode from 'qrcode';
import { sendAnswer, type ServiceAnswer, type ServiceGateway } from './service-gateway.ts';

/** The tenant keys the console holds server-side, one per role; the browser never sees one. */
export interface ConsoleKeys {
  admin: string;
  auth: string;
  soc: string;
}

const withKey = (key: string) => ({ authorization: `Bearer ${key}` });
const withKeyAndJson = (key: string) => ({ ...withKey(key), 'content-type': 'application/json' });
const jsonBody = (body: unknown) => (typeof body === 'string' && body ? body : '{}');
const user = (params: { userId: string }) => `/v1/users/${encodeURIComponent(params.userId)}`;

/** An enrollment the service started (201) comes back with its URI also drawn as a QR code; anything else as it came. */
async function sendWithQr(reply: FastifyReply, answer: ServiceAnswer, uriField: 'activationUri' | 'otpauthUri') {
  if (answer.status !== 201) return sendAnswer(reply, answer);
  const started = JSON.parse(answer.text) as Record<typeof uriField, string>;
  const qrSvg = await QRCode.toString(started[uriField], { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  return reply.status(201).send({ ...started, qrSvg });
}

/** The admin view: enrollments (with their QR codes), factors, and lifting a push suspension. */
export function adminRoutes(app: FastifyInstance, forward: ServiceGateway, adminKey: string): void {
  const post = (path: string, body: unknown) => forward({ service: 'enrollment', method: 'POST', path, headers: withKeyAndJson(adminKey), body: jsonBody(body) });
  app.post<{ Params: { userId: string } }>('/api/admin/users/:userId/push-enrollments', async (request, reply) =>
    sendWithQr(reply, await post(`${user(request.params)}/push-enrollments`, request.body), 'activationUri'));
  app.post<{ Params: { userId: string } }>('/api/admin/users/:userId/totp-enrollments', async (request, reply) =>
    sendWithQr(reply, await post(`${user(request.params)}/totp-enrollments`, request.body), 'otpauthUri'));
  app.post<{ Params: { userId: string; enrollmentId: string } }>('/api/admin/users/:userId/totp-enrollments/:enrollmentId/confirm', async (request, reply) =>
    sendAnswer(reply, await post(`${user(request.params)}/totp-enrollments/${encodeURIComponent(request.params.enrollmentId)}/confirm`, request.body)));
  app.get<{ Params: { userId: string } }>('/api/admin/users/:userId/factors', async (request, reply) =>
    sendAnswer(reply, await forward({ service: 'enrollment', method: 'GET', path: `${user(request.params)}/factors`, headers: withKey(adminKey) })));
  app.delete<{ Params: { userId: string } }>('/api/admin/users/:userId/push-suspension', async (request, reply) =>
    sendAnswer(reply, await forward({ service: 'anomaly-detection', method: 'DELETE', path: `${user(request.params)}/push-suspension`, headers: withKey(adminKey) })));
}

/** The login simulator: what a tenant's login system does (create a challenge, follow it, check a TOTP code). */
export function loginRoutes(app: FastifyInstance, forward: ServiceGateway, authKey: string): void {
  app.post('/api/login/challenges', async (request, reply) =>
    sendAnswer(reply, await forward({ service: 'challenge', method: 'POST', path: '/v1/challenges', headers: withKeyAndJson(authKey), body: jsonBody(request.body) })));
  app.get<{ Params: { challengeId: string }; Querystring: { waitSeconds?: string } }>('/api/login/challenges/:challengeId', async (request, reply) => {
    const path = `/v1/challenges/${encodeURIComponent(request.params.challengeId)}?waitSeconds=${Number(request.query.waitSeconds ?? 0) || 0}`;
    return sendAnswer(reply, await forward({ service: 'challenge', method: 'GET', path, headers: withKey(authKey) }));
  });
  app.post<{ Body: string }>('/api/login/totp', async (request, reply) =>
    sendAnswer(reply, await forward({ service: 'verification', method: 'POST', path: '/v1/totp/verify', headers: withKeyAndJson(authKey), body: jsonBody(request.body) })));
}

/** The SOC view's alert history (the live feed is alert-stream.ts). */
export function socRoutes(app: FastifyInstance, forward: ServiceGateway, socKey: string): void {
  app.get<{ Querystring: Record<string, string> }>('/api/alerts', async (request, reply) =>
    sendAnswer(reply, await forward({ service: 'anomaly-detection', method: 'GET', path: `/v1/alerts?${new URLSearchParams(request.query).toString()}`, headers: withKey(socKey) })));
}
