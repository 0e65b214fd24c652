import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@vigil/logger';
import type { Registry } from 'prom-client';
import { apiKeyAuth, type ApiKeyStore } from './api-key-auth.ts';
import { deviceAuth, type DeviceAuthOptions } from './device-signature-auth.ts';
import { frameworkErrorHandler, problemJson } from './error-handler.ts';
import { requestTracing } from './tracing.ts';
import { healthRoutes, type ReadinessCheck } from './health.ts';
import { createMetricsRegistry, requestMetrics } from './metrics.ts';
import { rawJsonBody } from './raw-json-body.ts';
import { strictValidation } from './validation.ts';
import { openApiDocument } from './openapi.ts';
import { VIGIL_VERSION } from '@vigil/events';

export type VigilApp = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;

/**
 * How the service meets its clients (CONTRACT §1 v2): HTTPS with a certificate and key (PEM), and which proxies'
 * X-Forwarded-For hops are believed for the client address (fastify's `trustProxy`: a boolean, a hop count, or
 * addresses/CIDRs). By default no hop is believed: behind an untrusted path the header is the client's to forge.
 */
export interface HttpTransport {
  tls?: { key: string | Buffer; cert: string | Buffer };
  trustProxy?: boolean | number | string[];
}

export interface HttpAppOptions {
  service: string;
  transport?: HttpTransport;
  logger: Logger;
  apiKeys: ApiKeyStore;
  /** Only for services with device routes. */
  deviceAuth?: DeviceAuthOptions;
  readiness: readonly ReadinessCheck[];
  metrics?: Registry;
  readinessDetails?: () => Record<string, unknown>;
  /** Largest accepted body; bigger ones get 413 before they are read in full. */
  bodyLimit?: number;
  /**
   * The service's routes, added as a plugin after the base's: the OpenAPI document sees them, and they get every hook.
   * (A route added to the root right away is built before any plugin loads: the document generator would miss it.)
   */
  routes?: (app: VigilApp) => void;
}

/**
 * The fastify base of every service (STYLE habit 5): problem+json errors, strict validation, API-key and device
 * auth, health and metrics. Builds and returns the instance without listening, so tests can inject or listen.
 */
export function createHttpApp(options: HttpAppOptions): VigilApp {
  const transport = options.transport ?? {};
  const hops = transport.trustProxy;
  const app = Fastify({
    // fastify serves HTTPS from the same options (its typings model that as another server type; the app is the same).
    ...(transport.tls ? ({ https: { key: transport.tls.key, cert: transport.tls.cert, minVersion: 'TLSv1.2' } } as object) : {}),
    // A hop count trusts that many proxies from the socket inward (what proxy-addr does with a number).
    trustProxy: typeof hops === 'number' ? (_address: string, hop: number) => hop < hops : (hops ?? false),
    loggerInstance: options.logger as FastifyBaseLogger,
    // One line per request would dominate the logs of a high-volume login path; failures are logged by the handler.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimit ?? 64 * 1024,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 256 },
    frameworkErrors: frameworkErrorHandler,
  }).withTypeProvider<TypeBoxTypeProvider>();

  const metrics = options.metrics ?? createMetricsRegistry(options.service);
  // Each concern is a fastify plugin without encapsulation (fastify-plugin), so its hooks, decorators and handlers
  // apply to every route the service adds afterwards (fastify builds routes after the plugins before them load).
  // First: the document generator sees every route registered after it (CONTRACT §1 v2: GET /openapi.json).
  void app.register(openApiDocument, { service: options.service, version: VIGIL_VERSION });
  void app.register(requestTracing);
  void app.register(strictValidation);
  void app.register(rawJsonBody);
  void app.register(problemJson);
  void app.register(apiKeyAuth, { store: options.apiKeys });
  if (options.deviceAuth) void app.register(deviceAuth, options.deviceAuth);
  void app.register(requestMetrics, { registry: metrics });
  void app.register(healthRoutes, { readiness: options.readiness, metrics, ...(options.readinessDetails ? { details: options.readinessDetails } : {}) });
  const { routes } = options;
  if (routes) void app.register(async (scope) => routes(scope.withTypeProvider<TypeBoxTypeProvider>()));
  return app;
}
