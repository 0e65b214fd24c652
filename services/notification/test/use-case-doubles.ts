import { vi, type Mock } from 'vitest';
import type { EventData } from '@vigil/events';
import { strictDouble, type Double } from '@vigil/testkit/doubles';
import type { CatchUpGate } from '@vigil/runtime';
import type { DeviceChannels, DispatchLedger, PushSender } from '../src/domain/ports.ts';
import type { NotificationDeps } from '../src/use-cases/deps.ts';

export const NOW = new Date('2026-12-06T10:00:00.000Z');

/** The notification service's use-case ports, each a strict double (an unexpected call rejects). */
export interface NotificationTestDeps extends NotificationDeps {
  channels: Double<DeviceChannels>;
  ledger: Double<DispatchLedger>;
  sender: Double<PushSender>;
  factorsCaughtUp: { open: boolean; ready: Mock<CatchUpGate['ready']> };
  sleep: Mock<NotificationDeps['sleep']>;
}

export function newNotificationTestDeps(): NotificationTestDeps {
  return {
    channels: strictDouble<DeviceChannels>('channels', { get: true, apply: true, forget: true }),
    ledger: strictDouble<DispatchLedger>('ledger', { claim: true, finish: true }),
    sender: strictDouble<PushSender>('sender', { send: true }),
    factorsCaughtUp: { open: true, ready: vi.fn(() => Promise.reject(new Error('unexpected call: factorsCaughtUp.ready'))) },
    retry: { maxAttempts: 3, baseMs: 100, maxMs: 1_000 },
    now: () => NOW,
    sleep: vi.fn(async () => undefined),
  };
}

export function aChallengeCreated(overrides: Partial<EventData<'vigil.challenge.created'>> = {}): EventData<'vigil.challenge.created'> {
  return {
    tenantId: 'acme', userId: 'alice', challengeId: 'challenge-1', deviceId: 'device-1', numberMatch: '123456', numberMatchDigits: 6, delivery: 'push',
    createdAt: new Date(NOW.getTime() - 200).toISOString(), expiresAt: new Date(NOW.getTime() + 60_000).toISOString(), context: {},
    ...overrides,
  };
}
