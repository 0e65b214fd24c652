import { randomBytes } from 'node:crypto';
import { createSecretBox } from '@vigil/crypto';
import type { EventSink } from '@vigil/events';
import { strictDouble, type Double } from '@vigil/testkit/doubles';
import type {
  ActivationCodeRepository,
  ActivationThrottle,
  DeviceRecord,
  DeviceRepository,
  FactorPublisher,
  FactorVersions,
  ProofStore,
  SuspensionStore,
  TotpRepository,
} from '../src/domain/ports.ts';
import type { EnrollmentDeps } from '../src/use-cases/deps.ts';

export const NOW = new Date('2026-12-06T10:00:00.000Z');
export const ALICE = { tenantId: 'acme', userId: 'alice' } as const;

/** The enrollment service's use-case ports, each a strict double (an unexpected call rejects). */
export interface EnrollmentTestDeps extends EnrollmentDeps {
  devices: Double<DeviceRepository>;
  codes: Double<ActivationCodeRepository>;
  totp: Double<TotpRepository>;
  proofs: Double<ProofStore>;
  throttle: Double<ActivationThrottle>;
  suspensions: Double<SuspensionStore>;
  factors: Double<FactorPublisher>;
  factorVersions: Double<FactorVersions>;
  events: Double<EventSink>;
}

export function newEnrollmentTestDeps(): EnrollmentTestDeps {
  let ids = 0;
  return {
    devices: strictDouble<DeviceRepository>('devices', {
      findActiveByUser: true, findActiveById: true, insert: true, revoke: true, updatePushToken: true, wasRevoked: true, touch: true,
    }),
    codes: strictDouble<ActivationCodeRepository>('codes', { insert: true, consume: true, invalidateOthers: true }),
    totp: strictDouble<TotpRepository>('totp', {
      findCredential: true, saveCredential: true, removeCredential: true, insertPending: true, findPending: true, deletePending: true,
    }),
    proofs: strictDouble<ProofStore>('proofs', { record: true, take: true }),
    throttle: strictDouble<ActivationThrottle>('throttle', { blockedForMs: true, recordFailure: true }),
    suspensions: strictDouble<SuspensionStore>('suspensions', { set: true, get: true }),
    factors: strictDouble<FactorPublisher>('factors', { publish: true }),
    factorVersions: strictDouble<FactorVersions>('factorVersions', { next: true, changing: true, settled: true, unsettled: true }),
    events: strictDouble<EventSink>('events', { emit: true }),
    secretBox: createSecretBox(new Map([['k1', randomBytes(32)]])),
    serverKey: { publicKey: 'server-public-key', keyId: 'server-1' },
    settings: {
      enrollmentBaseUrl: 'https://enroll.example', activationCodeTtlMs: 600_000, proofMaxAgeMs: 300_000, totpEnrollmentTtlMs: 600_000, totpIssuer: 'Vigil',
    },
    now: () => NOW,
    newId: () => `id-${(ids += 1)}`,
  };
}

/**
 * The factor-change steps succeed (ADR 0012: mark, change, publish, settle): each mark is `mark-<n>`, versions count up,
 * and the snapshot is read back from what the test's `devices`/`totp` doubles answer. Tests then break one step.
 */
export function factorChangesSucceed(deps: EnrollmentTestDeps): void {
  let marks = 0;
  let versions = 0;
  deps.factorVersions.changing.mockImplementation(async () => `mark-${(marks += 1)}`);
  deps.factorVersions.next.mockImplementation(async () => (versions += 1));
  deps.factorVersions.settled.mockResolvedValue(undefined);
  deps.factors.publish.mockResolvedValue(undefined);
  deps.totp.findCredential.mockResolvedValue(null);
  deps.events.emit.mockResolvedValue(undefined);
}

/** The event types emitted so far, in order. */
export function emitted(deps: EnrollmentTestDeps): string[] {
  return deps.events.emit.mock.calls.map(([type]) => type);
}

export function aDevice(overrides: Partial<DeviceRecord> = {}): DeviceRecord {
  return {
    ...ALICE, deviceId: 'device-1', publicKey: 'A'.repeat(43), platform: 'android', pushToken: 'fcm-token', deviceName: 'Pixel 9', appVersion: '1.0.0',
    enrolledAt: new Date(NOW.getTime() - 86_400_000), lastSeenAt: null, ...overrides,
  };
}
