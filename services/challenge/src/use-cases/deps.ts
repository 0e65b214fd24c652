import type { EventSink } from '@vigil/events';

import type { ChallengeStore, DecisionSignal, DeviceProjection, IdempotencyStore, PushGate, UserRiskStore } from '../domain/ports.ts';

export interface ChallengeSettings {
  ttlMs: number;
  numberMatchDigits: number;
  longPollMaxMs: number;
}

export interface ChallengeDeps {
  store: ChallengeStore;
  gate: PushGate;
  idempotency: IdempotencyStore;
  devices: DeviceProjection;
  risk: UserRiskStore;
  signal: DecisionSignal;
  events: EventSink;
  settings: ChallengeSettings;
  now: () => Date;
  newId: () => string;
}
