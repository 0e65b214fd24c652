import { PolicyBody, PolicyChangeBody } from '@vigil/api';
import { callerOf, type VigilApp } from '@vigil/http';
import { changePolicy } from '../use-cases/change-policy.ts';
import type { ChallengeDeps } from '../use-cases/deps.ts';
import { readPolicy } from '../use-cases/read-policy.ts';

/** CONTRACT §5a: the tenant's push policy, for admins. */
export function policyRoutes(app: VigilApp, deps: ChallengeDeps): void {
  app.get('/v1/policy', { config: { scope: 'admin' }, schema: { response: { 200: PolicyBody } } }, async (request) =>
    readPolicy(deps, { tenantId: callerOf(request).tenantId }));

  app.put('/v1/policy', { config: { scope: 'admin' }, schema: { body: PolicyChangeBody, response: { 200: PolicyBody } } }, async (request) =>
    changePolicy(deps, { tenantId: callerOf(request).tenantId, patch: request.body }));
}
