import type { EventData, EventDraft, UserRef } from '@vigil/events';
import type { Challenge, ChallengeStatus, QuietReason } from './challenge.ts';
import type { Policy } from './policy.ts';

/** Refusals (429): too many challenges from one source IP, or too many quiet ones for the user (CONTRACT §5 v2). */
export type ThrottleRule = EventData<'vigil.challenge.throttled'>['rule'];

export type Admission =
  | { admitted: true; deviceId: string; delivery: 'push' }
  | { admitted: true; deviceId: string; delivery: 'quiet'; quietReason: QuietReason }
  | { admitted: false; kind: 'no_device' }
  | { admitted: false; kind: 'suspended'; retryAfterMs: number }
  | { admitted: false; kind: 'throttled'; rule: ThrottleRule; retryAfterMs: number };

/** The limits one admission applies: the tenant's policy, and the service-wide per-IP limit. */
export interface AdmissionLimits {
  pushesPerMinute: number;
  pushesPerHour: number;
  pushesSinceSuccess: number;
  quietPerHour: number;
  ipPerMinute: number;
}

/**
 * Atomic admission of one challenge: the user's active push device, suspension, the per-IP limit, then push or quiet
 * (cool-down and the push budgets), checked and counted in one step so that concurrent requests (any instance) can
 * never exceed a limit.
 */
export interface PushGate {
  admit(user: UserRef, ip: string | null, limits: AdmissionLimits): Promise<Admission>;
}

/** A stored policy and the revision it was read at (what a change must be computed from). */
export interface StoredPolicy {
  policy: Policy;
  revision: string;
}

/** Tenant policies (CONTRACT §5a), each write stored with the event that announces it. */
export interface PolicyStore {
  /** The tenant's policy, or null when it never changed one (the defaults apply). */
  get(tenantId: string): Promise<StoredPolicy | null>;
  /** Stores the policy if the tenant's is still at `basedOn` (null: none stored); false if it changed meanwhile. */
  put(tenantId: string, policy: Policy, basedOn: string | null, announce: EventDraft): Promise<boolean>;
}

/**
 * Challenges, each state change stored together with the events that announce it (CONTRACT §8): a change that is
 * stored is announced, whatever happens to the process afterwards. Methods that announce resolve once Kafka has the
 * events, and throw if it has not yet (the change stands; the outbox relay announces it shortly).
 */
export interface ChallengeStore {
  /** Stores the challenge with its created event, and the expired event the sweep will announce if it comes to that. */
  create(challenge: Challenge, announce: { created: EventDraft; expired: EventDraft }, outcomes: ChallengeOutcomes): Promise<void>;
  get(challengeId: string): Promise<Challenge | null>;
  /**
   * pending → status, once, with the outcome's effect on the user's next pushes (miss streak, cool-down, fraud
   * suspension) and `announce`, in one step. `changed` is false when it was decided before (first wins); null when
   * there is no such challenge.
   */
  decide(user: UserRef, challengeId: string, status: Exclude<ChallengeStatus, 'pending'>, reason: string | null, at: Date, announce: EventDraft[]): Promise<{ challenge: Challenge; changed: boolean } | null>;
  /** Expires due challenges with their outcome and announcement; each is taken by one caller only. Returns their ids. */
  takeExpired(now: Date, limit: number): Promise<string[]>;
}

/** What a finished challenge means for its user's next pushes, fixed by the policy the challenge was created under. */
export interface ChallengeOutcomes {
  /** Cool-down ms for 1, 2, … consecutive misses. */
  cooldownSchedule: readonly number[];
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
  /** A valid TOTP shows the user is present: the miss streak, the cool-down and the push count since success end. */
  resetMisses(user: UserRef): Promise<void>;
  suspend(user: UserRef, until: Date): Promise<void>;
  /** Lifts suspension and cool-down, and resets the streak (admin lift, CONTRACT §7). */
  restore(user: UserRef): Promise<void>;
}

/** Wakes long polls when a challenge leaves `pending`, on any instance. */
export interface DecisionSignal {
  notify(challengeId: string): Promise<void>;
  wait(challengeId: string, timeoutMs: number): Promise<void>;
}

