import type { EventSink } from '@vigil/events';

import type { Policy } from '../domain/policy.ts';
import type { ChallengeStore, DecisionSignal, DeviceProjection, IdempotencyStore, PolicyStore, PushGate, UserRiskStore } from '../domain/ports.ts';

export interface ChallengeSettings {
  /** What a tenant that never changed its policy gets (the environment's defaults, CONTRACT §5). */
  defaultPolicy: Policy;
  /** Challenges per minute from one source IP and tenant (service-wide, not a tenant setting). */
  ipPerMinute: number;
}

export interface ChallengeDeps {
  store: ChallengeStore;
  gate: PushGate;
  policies: PolicyStore;
  idempotency: IdempotencyStore;
  devices: DeviceProjection;
  risk: UserRiskStore;
  signal: DecisionSignal;
  events: EventSink;
  settings: ChallengeSettings;
  now: () => Date;
  newId: () => string;
}
