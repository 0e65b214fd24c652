import Type, { type Static } from 'typebox';
import { PolicyConformance, TenantPolicy } from '@vigil/events';

const { cooldown, ...limits } = TenantPolicy.properties;

/** CONTRACT §5a: any part of the policy; a field left out keeps its value; `conformance` is computed, never written. */
export const PolicyChangeBody = Type.Object({
  ...Type.Partial(Type.Object(limits)).properties,
  // A tenant's challenges live 10 s at least (the environment may go lower, for tests that watch expiry).
  challengeTtlSeconds: Type.Optional(Type.Integer({ minimum: 10, maximum: 600 })),
  cooldown: Type.Optional(Type.Partial(cooldown, { additionalProperties: false })),
}, { additionalProperties: false });
export type PolicyChangeBody = Static<typeof PolicyChangeBody>;

export const PolicyBody = Type.Object({ ...TenantPolicy.properties, conformance: PolicyConformance });
export type PolicyBody = Static<typeof PolicyBody>;
