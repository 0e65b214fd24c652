import { createHttpApp, type VigilApp } from '@vigil/http';
import type { ServiceRuntime } from '@vigil/runtime';

export type AppDeps = Pick<ServiceRuntime, 'log' | 'apiKeys' | 'readiness' | 'metrics'>;

/** The anomaly-detection service's HTTP surface. Routes arrive with the anomaly-detection issue (CONTRACT §7). */
export function buildApp(deps: AppDeps): VigilApp {
  return createHttpApp({ service: 'anomaly-detection', logger: deps.log, apiKeys: deps.apiKeys, readiness: deps.readiness, metrics: deps.metrics });
}
