import { createHttpApp, type ApiKeyStore, type ReadinessCheck, type VigilApp } from '@vigil/http';
import type { Logger } from '@vigil/logger';
import type { Registry } from 'prom-client';
import { alertRoutes } from './routes/alert-routes.ts';
import type { AnomalyDeps } from './use-cases/deps.ts';

export interface AppDeps {
  log: Logger;
  apiKeys: ApiKeyStore;
  readiness: ReadinessCheck[];
  metrics: Registry;
  anomaly: AnomalyDeps;
}

/** The anomaly-detection service's HTTP surface (CONTRACT §7). */
export function buildApp(deps: AppDeps): VigilApp {
  const app = createHttpApp({ service: 'anomaly-detection', logger: deps.log, apiKeys: deps.apiKeys, readiness: deps.readiness, metrics: deps.metrics });
  alertRoutes(app, deps.anomaly);
  return app;
}
