import Type from 'typebox';
import { PolicyConformance, TenantPolicy } from '@vigil/events';
import { callerOf, type VigilApp } from '@vigil/http';
import { changePolicy } from '../use-cases/change-policy.ts';
import type { ChallengeDeps } from '../use-cases/deps.ts';
import { readPolicy } from '../use-cases/read-policy.ts';

const { cooldown, ...limits } = TenantPolicy.properties;
/** Any part of the policy (CONTRACT §5a): a field left out keeps its value; `conformance` is computed, never written. */
const PolicyChange = Type.Object({
  ...Type.Partial(Type.Object(limits)).properties,
  // A tenant's challenges live 10 s at least (the environment may go lower, for tests that watch expiry).
  challengeTtlSeconds: Type.Optional(Type.Integer({ minimum: 10, maximum: 600 })),
  cooldown: Type.Optional(Type.Partial(cooldown, { additionalProperties: false })),
}, { additionalProperties: false });
const PolicyAnswer = Type.Object({ ...TenantPolicy.properties, conformance: PolicyConformance });

/** CONTRACT §5a: the tenant's push policy, for admins. */
export function policyRoutes(app: VigilApp, deps: ChallengeDeps): void {
  app.get('/v1/policy', { config: { scope: 'admin' }, schema: { response: { 200: PolicyAnswer } } }, async (request) =>
    readPolicy(deps, { tenantId: callerOf(request).tenantId }));

  app.put('/v1/policy', { config: { scope: 'admin' }, schema: { body: PolicyChange, response: { 200: PolicyAnswer } } }, async (request) =>
    changePolicy(deps, { tenantId: callerOf(request).tenantId, patch: request.body }));
}
