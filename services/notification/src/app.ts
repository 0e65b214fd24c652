import { createHttpApp, type ApiKeyStore, type ReadinessCheck, type VigilApp } from '@vigil/http';
import type { Logger } from '@vigil/logger';
import type { Registry } from 'prom-client';

export interface AppDeps {
  log: Logger;
  apiKeys: ApiKeyStore;
  readiness: ReadinessCheck[];
  metrics: Registry;
  /** Shown in /readyz details so that operators see a service that cannot push. */
  mode: 'fcm' | 'poll-only';
}

/** Operators only: health, readiness (with the push mode) and metrics (CONTRACT §1). */
export function buildApp(deps: AppDeps): VigilApp {
  return createHttpApp({
    service: 'notification', logger: deps.log, apiKeys: deps.apiKeys, readiness: deps.readiness, metrics: deps.metrics,
    readinessDetails: () => ({ fcm: deps.mode }),
  });
}
