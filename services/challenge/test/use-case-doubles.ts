import { vi } from 'vitest';
import type { EventSink } from '@vigil/events';
import { strictDouble, type Double } from '@vigil/testkit/doubles';
import type { Challenge } from '../src/domain/challenge.ts';
import type { Policy } from '../src/domain/policy.ts';
import type { ChallengeStore, DecisionSignal, DeviceProjection, IdempotencyStore, PolicyStore, PushGate, UserRiskStore } from '../src/domain/ports.ts';
import type { ChallengeDeps } from '../src/use-cases/deps.ts';

export const NOW = new Date('2026-12-06T10:00:00.000Z');

export const POLICY: Policy = {
  numberMatchDigits: 6, challengeTtlSeconds: 60, pushesPerMinute: 3, pushesPerHour: 10, pushesSinceSuccess: 10, quietPerHour: 30,
  cooldown: { afterMisses: 3, initialSeconds: 60, maxSeconds: 3600 },
};

/** The challenge service's use-case ports, each a strict double (an unexpected call rejects). */
export interface ChallengeTestDeps extends ChallengeDeps {
  store: Double<ChallengeStore>;
  gate: Double<PushGate>;
  policies: Double<PolicyStore>;
  idempotency: Double<IdempotencyStore>;
  devices: Double<DeviceProjection>;
  risk: Double<UserRiskStore>;
  signal: Double<DecisionSignal>;
  events: Double<EventSink>;
}

export function newChallengeTestDeps(): ChallengeTestDeps {
  let ids = 0;
  return {
    store: strictDouble<ChallengeStore>('store', { create: true, get: true, decide: true, takeExpired: true }),
    gate: strictDouble<PushGate>('gate', { admit: true }),
    policies: strictDouble<PolicyStore>('policies', { get: true, put: true }),
    idempotency: strictDouble<IdempotencyStore>('idempotency', { reserve: true, release: true }),
    devices: strictDouble<DeviceProjection>('devices', { apply: true }),
    risk: strictDouble<UserRiskStore>('risk', { resetMisses: true, suspend: true, restore: true }),
    signal: strictDouble<DecisionSignal>('signal', { notify: true, wait: true }),
    events: strictDouble<EventSink>('events', { emit: true }),
    settings: { defaultPolicy: POLICY, ipPerMinute: 20 },
    now: () => NOW,
    newId: vi.fn(() => `challenge-${(ids += 1)}`),
  };
}

export function aChallenge(overrides: Partial<Challenge> = {}): Challenge {
  return {
    challengeId: 'challenge-0', tenantId: 'acme', userId: 'alice', deviceId: 'device-1', numberMatch: '123456', delivery: 'push', quietReason: null,
    status: 'pending', reason: null, createdAt: NOW, expiresAt: new Date(NOW.getTime() + 60_000), decidedAt: null, context: {}, ...overrides,
  };
}
