import Type from 'typebox';
import { TenantId, Timestamp, strict } from './common.ts';

/**
 * A tenant's push policy (CONTRACT §5a): the limits the challenge service applies to the tenant's next challenges.
 * The ranges are the contract's; the route that changes a policy and the event that announces it share this schema.
 */
export const TenantPolicy = Type.Object(
  {
    numberMatchDigits: Type.Integer({ minimum: 2, maximum: 8 }),
    challengeTtlSeconds: Type.Integer({ minimum: 1, maximum: 600 }),
    pushesPerMinute: Type.Integer({ minimum: 1, maximum: 100_000 }),
    pushesPerHour: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    pushesSinceSuccess: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    quietPerHour: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    cooldown: Type.Object(
      {
        // NIST SP 800-63B-4 §3.2.2 allows no more than 100 consecutive failures.
        afterMisses: Type.Integer({ minimum: 1, maximum: 100 }),
        initialSeconds: Type.Integer({ minimum: 1, maximum: 86_400 }),
        maxSeconds: Type.Integer({ minimum: 1, maximum: 86_400 }),
      },
      strict,
    ),
  },
  strict,
);

/** Computed from the policy: whether it meets NIST SP 800-63B-4 §3.1.3 for push, each unmet clause in plain words. */
export const PolicyConformance = Type.Object({ nist80063b4: Type.Boolean(), findings: Type.Array(Type.String()) }, strict);

/** `vigil.policy.updated` on the compacted vigil.policies.v1, keyed by tenant: the tenant's current policy. */
export const PolicyUpdated = Type.Object({ tenantId: TenantId, policy: TenantPolicy, conformance: PolicyConformance, updatedAt: Timestamp }, strict);
