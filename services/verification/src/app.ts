import { createHttpApp, type VigilApp } from '@vigil/http';
import type { ServiceRuntime } from '@vigil/runtime';

export type AppDeps = Pick<ServiceRuntime, 'log' | 'apiKeys' | 'readiness' | 'metrics'>;

/** The verification service's HTTP surface. Routes arrive with the verification issue (CONTRACT §6). */
export function buildApp(deps: AppDeps): VigilApp {
  return createHttpApp({ service: 'verification', logger: deps.log, apiKeys: deps.apiKeys, readiness: deps.readiness, metrics: deps.metrics });
}
