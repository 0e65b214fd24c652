import { VigilError } from '@vigil/errors';
import { draft } from '@vigil/events';
import { ChallengeError } from '../domain/challenge-error.ts';
import { applyPatch, conformance, policyProblem, type PolicyPatch } from '../domain/policy.ts';
import type { ChallengeDeps } from './deps.ts';
import type { PolicyView } from './read-policy.ts';

export interface ChangePolicy {
  tenantId: string;
  patch: PolicyPatch;
}

/** Compare-and-set rounds before a write gives up (503, safe to repeat): only a storm of concurrent changes gets there. */
const MAX_ROUNDS = 10;

/**
 * CONTRACT §5a: a partial change, applied to challenges created after the answer (the next create reads it from the
 * same store), and announced on vigil.policies.v1 in the same step.
 */
export async function changePolicy(deps: ChallengeDeps, command: ChangePolicy): Promise<PolicyView> {
  // Two admins changing different fields at once both keep their change: a write computed from a stale policy is
  // refused by the store and computed again.
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const stored = await deps.policies.get(command.tenantId);
    const policy = applyPatch(stored?.policy ?? deps.settings.defaultPolicy, command.patch);
    const problem = policyProblem(policy);
    if (problem !== null) throw new ChallengeError('validation_failed', problem);
    const checked = conformance(policy);
    const announce = draft('vigil.policy.updated', { tenantId: command.tenantId, policy, conformance: checked, updatedAt: deps.now().toISOString() });
    if (await deps.policies.put(command.tenantId, policy, stored?.revision ?? null, announce)) return { ...policy, conformance: checked };
  }
  throw new VigilError('unavailable', 'the policy kept changing under this write; repeat it');
}
