import type { FastifyInstance } from 'fastify';
import type { AlertListener } from './alert-feed.ts';
import { PAGE_HEADERS } from './page-routes.ts';

export interface AlertSource {
  subscribe(listener: AlertListener): () => void;
}

const KEEP_ALIVE_MS = 15_000;

/** The SOC view's live feed: each fatigue alert from alert-feed.ts as a server-sent event, for as long as the page listens. */
export function alertStreamRoute(app: FastifyInstance, alerts: AlertSource): void {
  app.get('/api/alerts/stream', { config: { access: 'token-in-query' } }, (request, reply) => {
    reply.hijack();
    reply.raw.writeHead(200, { ...PAGE_HEADERS, 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    reply.raw.write(': connected\n\n');
    const unsubscribe = alerts.subscribe((alert) => reply.raw.write(`event: alert\ndata: ${JSON.stringify(alert)}\n\n`));
    const keepAlive = setInterval(() => reply.raw.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
    request.raw.on('close', () => {
      clearInterval(keepAlive);
      unsubscribe();
    });
  });
}
