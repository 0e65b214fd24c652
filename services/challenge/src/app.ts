import { createHttpApp, type ApiKeyStore, type ReadinessCheck, type VigilApp } from '@vigil/http';
import type { Logger } from '@vigil/logger';
import type { Registry } from 'prom-client';
import { challengeRoutes } from './routes/challenge-routes.ts';
import type { ChallengeDeps } from './use-cases/deps.ts';

export interface AppDeps {
  log: Logger;
  apiKeys: ApiKeyStore;
  readiness: ReadinessCheck[];
  metrics: Registry;
  challenges: ChallengeDeps;
}

/** The challenge service's HTTP surface (CONTRACT §5). */
export function buildApp(deps: AppDeps): VigilApp {
  const app = createHttpApp({ service: 'challenge', logger: deps.log, apiKeys: deps.apiKeys, readiness: deps.readiness, metrics: deps.metrics });
  challengeRoutes(app, deps.challenges);
  return app;
}
