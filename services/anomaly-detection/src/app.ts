import { createHttpApp, type VigilApp } from '@vigil/http';
import type { AppBasics } from '@vigil/runtime';
import { alertRoutes } from './routes/alert-routes.ts';
import type { AnomalyDeps } from './use-cases/deps.ts';

export interface AppDeps extends AppBasics {
  anomaly: AnomalyDeps;
}

/** The anomaly-detection service's HTTP surface (CONTRACT §7). */
export function buildApp(deps: AppDeps): VigilApp {
  return createHttpApp({
    service: 'anomaly-detection', logger: deps.log, apiKeys: deps.apiKeys, readiness: deps.readiness, metrics: deps.metrics, ...(deps.transport ? { transport: deps.transport } : {}),
    routes: (scope) => {
      alertRoutes(scope, deps.anomaly);
    },
  });
}
