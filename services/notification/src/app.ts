import { createHttpApp, type VigilApp } from '@vigil/http';
import type { AppBasics } from '@vigil/runtime';

export interface AppDeps extends AppBasics {
  /** Shown in /readyz details so that operators see a service that cannot push. */
  mode: 'fcm' | 'poll-only';
}

/** Operators only: health, readiness (with the push mode) and metrics (CONTRACT §1). */
export function buildApp(deps: AppDeps): VigilApp {
  return createHttpApp({
    service: 'notification', logger: deps.log, apiKeys: deps.apiKeys, readiness: deps.readiness, metrics: deps.metrics, ...(deps.transport ? { transport: deps.transport } : {}),
    readinessDetails: () => ({ fcm: deps.mode }),
  });
}
