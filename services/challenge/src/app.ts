import { createHttpApp, type VigilApp } from '@vigil/http';
import type { ServiceRuntime } from '@vigil/runtime';

export type AppDeps = Pick<ServiceRuntime, 'log' | 'apiKeys' | 'readiness' | 'metrics'>;

/** The challenge service's HTTP surface. Routes arrive with the challenge issue (CONTRACT §5). */
export function buildApp(deps: AppDeps): VigilApp {
  return createHttpApp({ service: 'challenge', logger: deps.log, apiKeys: deps.apiKeys, readiness: deps.readiness, metrics: deps.metrics });
}
