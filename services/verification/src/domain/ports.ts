import type { SealedSecret } from '@vigil/crypto';
import type { ChallengeContext, EventDraft, UserRef } from '@vigil/events';

export type ProjectedStatus = 'pending' | 'approved' | 'denied' | 'reported' | 'expired' | 'cancelled';

/** The server-signed payload for the device (CONTRACT §6 SignedChallenge), signed once when projected. */
export interface SignedChallenge {
  payload: string;
  signature: string;
  keyId: string;
}

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
  signed: SignedChallenge;
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
  /** `totpSpentStep`: the step of the code that confirmed the TOTP enrollment, to be treated as already used. */
  apply(user: UserRef, factors: { device: ProjectedDevice | null; totpSecret: SealedSecret | null; totpSpentStep: number | null; version: number }): Promise<void>;
  remove(user: UserRef): Promise<void>;
  device(deviceId: string): Promise<ProjectedDevice | null>;
  totpSecret(user: UserRef): Promise<SealedSecret | null>;
}

/**
 * What a TOTP check may do now (CONTRACT §6): compare the code as attempt `n` (the last allowed attempt has started a
 * lockout of `lockoutMs` already, lifted if its code is accepted), or answer 429 for `retryAfterMs`.
 */
export type TotpAttempt = { kind: 'attempt'; n: number; lockoutMs: number | null } | { kind: 'locked'; retryAfterMs: number };

/** Accepted TOTP steps, consecutive failures and lockouts (CONTRACT §6). */
export interface TotpGuard {
  /**
   * Claims one evaluation before the code is compared, counting it as a failure until it is accepted: of any number of
   * concurrent checks, only as many as the policy allows get an attempt; the others are told to wait. The last allowed
   * attempt starts the lockout in the same step.
   */
  claimAttempt(user: UserRef): Promise<TotpAttempt>;
  /**
   * Records the step as used, ends the failure streak and announces `verified`, in one step; null if this step or a
   * later one was already accepted (replay). A repeat of the accepted step whose announcement had not reached Kafka
   * gets the first verification back, once announced.
   */
  acceptStep(user: UserRef, step: number, ttlSeconds: number, verified: EventDraft): Promise<{ verificationId: string } | null>;
}

/**
 * Places for long polls (CONTRACT §6 v2): a few per device across every instance, and a cap per instance, so that one
 * device (or one client) cannot hold thousands of sockets. A place is held until `release`, or expires after `maxMs`
 * if its holder died.
 */
export interface LongPollPlaces {
  take(deviceId: string, maxMs: number): Promise<{ taken: true; release(): Promise<void> } | { taken: false; retryAfterMs: number }>;
}

/** How many `vigil.response.rejected` events one device may cause (per minute); the rest are dropped and counted. */
export interface RejectionBudget {
  allow(deviceId: string, reason: string): Promise<boolean>;
}

export interface Wakeups {
  notify(id: string): Promise<void>;
  /** Resolves on a notification, after `timeoutMs`, or at once when `signal` aborts. */
  wait(id: string, timeoutMs: number, signal?: AbortSignal): Promise<void>;
}
