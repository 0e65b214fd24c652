import { createHttpApp, type VigilApp } from '@vigil/http';
import type { ServiceRuntime } from '@vigil/runtime';

export type AppDeps = Pick<ServiceRuntime, 'log' | 'apiKeys' | 'readiness' | 'metrics'>;

/** The enrollment service's HTTP surface. Routes arrive with the enrollment issue (CONTRACT §4). */
export function buildApp(deps: AppDeps): VigilApp {
  return createHttpApp({ service: 'enrollment', logger: deps.log, apiKeys: deps.apiKeys, readiness: deps.readiness, metrics: deps.metrics });
}
