import type { FastifyInstance } from 'fastify';
import { sendAnswer, type ServiceGateway } from './service-gateway.ts';

const DEVICE_HEADERS = ['x-vigil-device', 'x-vigil-timestamp', 'x-vigil-signature', 'content-type'];

/**
 * The browser authenticator's device requests, passed through unchanged: the signature headers and the body bytes
 * they sign, so they verify at the service exactly as if the browser had called it. No tenant key is added.
 */
export function deviceRoutes(app: FastifyInstance, forward: ServiceGateway): void {
  app.all<{ Params: { service: string; '*': string } }>('/device/:service/*', async (request, reply) => {
    const service = request.params.service;
    if (service !== 'enrollment' && service !== 'verification') return reply.status(404).send({ code: 'not_found' });
    const headers: Record<string, string> = {};
    for (const name of DEVICE_HEADERS) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const path = request.url.slice(`/device/${service}`.length);
    const body = typeof request.body === 'string' ? request.body : undefined;
    return sendAnswer(reply, await forward({ service, method: request.method, path, headers, ...(body === undefined ? {} : { body }) }));
  });
}
