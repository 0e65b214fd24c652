import { createHttpApp, type VigilApp } from '@vigil/http';
import type { ServiceRuntime } from '@vigil/runtime';

export type AppDeps = Pick<ServiceRuntime, 'log' | 'apiKeys' | 'readiness' | 'metrics'>;

/** The notification service's HTTP surface. Operators only: health and metrics (CONTRACT §1). */
export function buildApp(deps: AppDeps): VigilApp {
  return createHttpApp({ service: 'notification', logger: deps.log, apiKeys: deps.apiKeys, readiness: deps.readiness, metrics: deps.metrics });
}
