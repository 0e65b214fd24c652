import Fastify, { type FastifyInstance } from 'fastify';
import { alertStreamRoute, type AlertSource } from './alert-stream.ts';
import { adminRoutes, loginRoutes, socRoutes, type ConsoleKeys } from './api-routes.ts';
import { deviceRoutes } from './device-routes.ts';
import { PAGE_HEADERS, pageRoutes } from './page-routes.ts';
import { installRequestGuard, type RequestGuardOptions } from './request-guard.ts';
import { serviceGateway, type ConsoleService } from './service-gateway.ts';

export interface ConsoleOptions {
  services: Record<ConsoleService, string>;
  keys: ConsoleKeys;
  /** Built web assets (index.html and its bundle). */
  webDir: string;
  alerts: AlertSource;
  /** The console's own origins and the token every /api and /device request must carry (request-guard.ts). */
  guard: RequestGuardOptions;
}

/**
 * The web console's server: the page, and a same-origin gateway to the public APIs of CONTRACT.md. Tenant keys stay
 * here (the browser never sees one); device requests pass through byte for byte, so their signatures verify at the
 * service exactly as if the browser had called it. A development console: do not expose it beyond your desk.
 */
export function buildConsoleApp(options: ConsoleOptions): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });
  installRequestGuard(app, options.guard);
  app.addHook('onSend', async (_request, reply) => void reply.headers(PAGE_HEADERS));
  acceptJsonAsText(app);

  const forward = serviceGateway(options.services);
  app.get('/readyz', { config: { access: 'page' } }, async () => ({ status: 'ready' }));
  adminRoutes(app, forward, options.keys.admin);
  loginRoutes(app, forward, options.keys.auth);
  socRoutes(app, forward, options.keys.soc);
  alertStreamRoute(app, options.alerts);
  deviceRoutes(app, forward);
  pageRoutes(app, options.webDir);
  return app;
}

function acceptJsonAsText(app: FastifyInstance): void {
  // JSON only: fastify's default text/plain parser would let a cross-site <form enctype="text/plain"> through.
  // Device requests are signed over the exact body bytes: keep them as text.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, body));
}
