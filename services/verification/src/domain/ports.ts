import type { SealedSecret } from '@vigil/crypto';
import type { EventDraft } from '@vigil/events';

export interface UserRef {
  tenantId: string;
  userId: string;
}

export interface ChallengeContext {
  ip?: string;
  userAgent?: string;
  application?: string;
  location?: { country?: string; city?: string; lat?: number; lon?: number };
}

export type ProjectedStatus = 'pending' | 'approved' | 'denied' | 'reported' | 'expired' | 'cancelled';

/** A challenge as this service knows it from vigil.challenges.v1 (its own projection). */
export interface ProjectedChallenge extends UserRef {
  challengeId: string;
  deviceId: string;
  numberMatch: string;
  numberMatchDigits: number;
  createdAt: Date;
  expiresAt: Date;
  context: ChallengeContext;
  status: ProjectedStatus;
  /** The server-signed payload for the device, signed once when projected. */
  signed: { payload: string; signature: string; keyId: string };
}

export type DecideOutcome = 'decided' | 'expired' | 'already_decided' | 'missing';

export interface ChallengeProjection {
  put(challenge: ProjectedChallenge): Promise<void>;
  get(challengeId: string): Promise<ProjectedChallenge | null>;
  /**
   * pending → status if still pending and unexpired at `now`, with the events that announce it, in one step: the
   * first decision wins. Resolves once Kafka has the events (throws if not: the decision stands and its repeat
   * delivers them).
   */
  decide(challengeId: string, status: 'approved' | 'denied' | 'reported', now: Date, announce: EventDraft[], mismatch: boolean): Promise<DecideOutcome>;
  markEnded(challengeId: string, status: 'expired' | 'cancelled'): Promise<void>;
  /** Pending, unexpired challenges addressed to a device. */
  pendingFor(deviceId: string, now: Date): Promise<ProjectedChallenge[]>;
}

export interface ProjectedDevice extends UserRef {
  deviceId: string;
  publicKey: string;
}

/** Devices and TOTP secrets from vigil.factors.v1. */
export interface FactorProjection {
  apply(user: UserRef, factors: { device: ProjectedDevice | null; totpSecret: SealedSecret | null; version: number }): Promise<void>;
  remove(user: UserRef): Promise<void>;
  device(deviceId: string): Promise<ProjectedDevice | null>;
  totpSecret(user: UserRef): Promise<SealedSecret | null>;
}

/** Accepted TOTP steps, consecutive failures and lockouts (CONTRACT §6). */
export interface TotpGuard {
  /** Seconds left of a lockout, or null. */
  lockedFor(user: UserRef): Promise<number | null>;
  /**
   * Records the step as used, ends the failure streak and announces `verified`, in one step; null if this step or a
   * later one was already accepted (replay). A repeat of the accepted step whose announcement had not reached Kafka
   * gets the first verification back, once announced.
   */
  acceptStep(user: UserRef, step: number, ttlSeconds: number, verified: EventDraft): Promise<{ verificationId: string } | null>;
  /** Counts a failure; returns the count and, when it starts a lockout, its length in ms. */
  recordFailure(user: UserRef): Promise<{ failures: number; lockedForMs: number | null }>;
}

export interface Wakeups {
  notify(id: string): Promise<void>;
  wait(id: string, timeoutMs: number): Promise<void>;
}
