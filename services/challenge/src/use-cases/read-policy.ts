import { conformance, type Conformance, type Policy } from '../domain/policy.ts';
import type { ChallengeDeps } from './deps.ts';

export type PolicyView = Policy & { conformance: Conformance };

export interface ReadPolicy {
  tenantId: string;
}

/** The tenant's policy: its own, or the defaults from the environment when it never changed one. */
export async function tenantPolicy(deps: Pick<ChallengeDeps, 'policies' | 'settings'>, command: ReadPolicy): Promise<Policy> {
  return (await deps.policies.get(command.tenantId))?.policy ?? deps.settings.defaultPolicy;
}

/** CONTRACT §5a: the policy with how it measures against NIST SP 800-63B-4 (computed, never stored). */
export async function readPolicy(deps: ChallengeDeps, command: ReadPolicy): Promise<PolicyView> {
  const policy = await tenantPolicy(deps, command);
  return { ...policy, conformance: conformance(policy) };
}
