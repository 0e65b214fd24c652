import { createHttpApp, type VigilApp } from '@vigil/http';
import type { AppBasics } from '@vigil/runtime';
import { challengeRoutes } from './routes/challenge-routes.ts';
import { policyRoutes } from './routes/policy-routes.ts';
import type { ChallengeDeps } from './use-cases/deps.ts';

export interface AppDeps extends AppBasics {
  challenges: ChallengeDeps;
}

/** The challenge service's HTTP surface (CONTRACT §5, §5a). */
export function buildApp(deps: AppDeps): VigilApp {
  return createHttpApp({
    service: 'challenge', logger: deps.log, apiKeys: deps.apiKeys, readiness: deps.readiness, metrics: deps.metrics, ...(deps.transport ? { transport: deps.transport } : {}),
    routes: (scope) => {
      challengeRoutes(scope, deps.challenges);
      policyRoutes(scope, deps.challenges);
    },
  });
}
