import type { Challenge, ChallengeContext, ChallengeStatus } from './challenge.ts';

export interface UserRef {
  tenantId: string;
  userId: string;
}

export type ThrottleRule = 'user_per_minute' | 'user_per_hour' | 'ip_per_minute' | 'cooldown';

export type Admission =
  | { admitted: true; deviceId: string }
  | { admitted: false; kind: 'no_device' }
  | { admitted: false; kind: 'suspended'; retryAfterMs: number }
  | { admitted: false; kind: 'throttled'; rule: ThrottleRule; retryAfterMs: number };

/**
 * Atomic admission of one push: the user's active push device, suspension, cool-down and the sliding-window burst
 * limits, checked and counted in one step so that concurrent requests (any instance) can never exceed a limit.
 */
export interface PushGate {
  admit(user: UserRef, ip: string | null): Promise<Admission>;
}

export interface ChallengeStore {
  create(challenge: Challenge): Promise<void>;
  get(challengeId: string): Promise<Challenge | null>;
  /** pending → status, atomically; returns the decided challenge, or null if it was not pending (first wins). */
  decide(challengeId: string, status: Exclude<ChallengeStatus, 'pending'>, reason: string | null, at: Date): Promise<Challenge | null>;
  /** Takes the challenges whose expiry has passed and marks the pending ones expired; each is returned to one caller only. */
  takeExpired(now: Date, limit: number): Promise<Challenge[]>;
}

/** Idempotency-Key → challenge id, while the first challenge lives. */
export interface IdempotencyStore {
  /** Reserves the key for `challengeId`; returns the id already holding it, if any. */
  reserve(user: UserRef, key: string, challengeId: string, ttlMs: number): Promise<string | null>;
  release(user: UserRef, key: string): Promise<void>;
}

/** The projection of vigil.factors.v1 this service keeps: the user's active push device (read by the gate). */
export interface DeviceProjection {
  apply(user: UserRef, deviceId: string | null, version: number): Promise<void>;
}

/** Miss streaks, cool-downs and suspensions. */
export interface UserRiskStore {
  recordMiss(user: UserRef): Promise<number>;
  resetMisses(user: UserRef): Promise<void>;
  setCooldown(user: UserRef, ms: number): Promise<void>;
  suspend(user: UserRef, until: Date): Promise<void>;
  /** Lifts suspension and cool-down, and resets the streak (admin lift, CONTRACT §7). */
  restore(user: UserRef): Promise<void>;
}

/** Wakes long polls when a challenge leaves `pending`, on any instance. */
export interface DecisionSignal {
  notify(challengeId: string): Promise<void>;
  wait(challengeId: string, timeoutMs: number): Promise<void>;
}

export type NewChallengeContext = ChallengeContext;
