import { randomBytes } from 'node:crypto';
import { createSecretBox, type SecretBox } from '@vigil/crypto';
import type { EventSink } from '@vigil/events';
import type { Device } from '@vigil/http';
import { strictDouble, type Double } from '@vigil/testkit/doubles';
import type { ChallengeProjection, FactorProjection, LongPollPlaces, ProjectedChallenge, RejectionBudget, TotpGuard, Wakeups } from '../src/domain/ports.ts';
import type { VerificationDeps } from '../src/use-cases/deps.ts';

export const NOW = new Date('2026-12-06T10:00:00.000Z');

/** The verification service's use-case ports, each a strict double (an unexpected call rejects). */
export interface VerificationTestDeps extends VerificationDeps {
  challenges: Double<ChallengeProjection>;
  factors: Double<FactorProjection>;
  totpGuard: Double<TotpGuard>;
  newChallenges: Double<Wakeups>;
  longPolls: Double<LongPollPlaces>;
  rejections: Double<RejectionBudget>;
  events: Double<EventSink>;
}

export function newVerificationTestDeps(options: { secretBox?: SecretBox } = {}): VerificationTestDeps {
  return {
    challenges: strictDouble<ChallengeProjection>('challenges', { put: true, get: true, decide: true, markEnded: true, pendingFor: true }),
    factors: strictDouble<FactorProjection>('factors', { apply: true, remove: true, device: true, totpSecret: true }),
    totpGuard: strictDouble<TotpGuard>('totpGuard', { claimAttempt: true, acceptStep: true }),
    newChallenges: strictDouble<Wakeups>('newChallenges', { notify: true, wait: true }),
    longPolls: strictDouble<LongPollPlaces>('longPolls', { take: true }),
    rejections: strictDouble<RejectionBudget>('rejections', { allow: true }),
    events: strictDouble<EventSink>('events', { emit: true }),
    secretBox: options.secretBox ?? createSecretBox(new Map([['k1', randomBytes(32)]])),
    serverKey: { keyId: 'server-1', sign: () => 'signature' },
    settings: { projectionWaitMs: 0, lockout: { failures: 5, baseMs: 300_000, maxMs: 86_400_000 } },
    now: () => NOW,
    newId: () => 'verification-1',
  };
}

export const device: Device = { tenantId: 'acme', userId: 'alice', deviceId: 'device-1', publicKey: 'key' };

export function aProjectedChallenge(overrides: Partial<ProjectedChallenge> = {}): ProjectedChallenge {
  return {
    challengeId: 'challenge-1', tenantId: 'acme', userId: 'alice', deviceId: 'device-1', numberMatch: '123456', numberMatchDigits: 6,
    createdAt: NOW, expiresAt: new Date(NOW.getTime() + 60_000), context: {}, status: 'pending',
    signed: { payload: 'payload', signature: 'signature', keyId: 'server-1' }, ...overrides,
  };
}
