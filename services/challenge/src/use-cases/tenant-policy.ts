import { draft } from '@vigil/events';
import { ChallengeError } from '../domain/challenge-error.ts';
import { applyPatch, conformance, policyProblem, type Conformance, type Policy, type PolicyPatch } from '../domain/policy.ts';
import type { ChallengeDeps } from './deps.ts';

export type PolicyView = Policy & { conformance: Conformance };

/** The tenant's policy: its own, or the defaults from the environment when it never changed one. */
export async function tenantPolicy(deps: ChallengeDeps, tenantId: string): Promise<Policy> {
  return (await deps.policies.get(tenantId))?.policy ?? deps.settings.defaultPolicy;
}

const view = (policy: Policy): PolicyView => ({ ...policy, conformance: conformance(policy) });

export async function readPolicy(deps: ChallengeDeps, tenantId: string): Promise<PolicyView> {
  return view(await tenantPolicy(deps, tenantId));
}

/**
 * CONTRACT §5a: a partial change, applied to challenges created after the answer (the next create reads it from the
 * same store), and announced on vigil.policies.v1 in the same step.
 */
export async function changePolicy(deps: ChallengeDeps, command: { tenantId: string; patch: PolicyPatch }): Promise<PolicyView> {
  // Two admins changing different fields at once both keep their change: a write computed from a stale policy is
  // refused by the store and computed again.
  for (let attempt = 0; attempt < 10; attempt += 1) {
    const stored = await deps.policies.get(command.tenantId);
    const policy = applyPatch(stored?.policy ?? deps.settings.defaultPolicy, command.patch);
    const problem = policyProblem(policy);
    if (problem !== null) throw new ChallengeError('validation_failed', problem);
    const checked = conformance(policy);
    const announce = draft('vigil.policy.updated', { tenantId: command.tenantId, policy, conformance: checked, updatedAt: deps.now().toISOString() });
    if (await deps.policies.put(command.tenantId, policy, stored?.revision ?? null, announce)) return { ...policy, conformance: checked };
  }
  throw new Error('the policy kept changing under this write');
}
