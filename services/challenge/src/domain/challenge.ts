import type { ChallengeContext, EventData } from '@vigil/events';

type Created = EventData<'vigil.challenge.created'>;

export type ChallengeStatus = 'pending' | 'approved' | 'denied' | 'reported' | 'expired' | 'cancelled';
export type DeniedReason = 'user_denied' | 'number_mismatch';
/** How the user learns of a challenge (CONTRACT §5 v2): a wake-up to the phone, or only when the app is opened. */
export type Delivery = NonNullable<Created['delivery']>;
/** Why a challenge was not pushed: the user is in cool-down, or over a push budget. */
export type QuietReason = NonNullable<Created['quietReason']>;

export interface Challenge {
  challengeId: string;
  tenantId: string;
  userId: string;
  deviceId: string;
  numberMatch: string;
  delivery: Delivery;
  quietReason: QuietReason | null;
  status: ChallengeStatus;
  reason: string | null;
  createdAt: Date;
  expiresAt: Date;
  decidedAt: Date | null;
  context: ChallengeContext;
}

/** What the login system reads (CONTRACT §5 GET). */
export function challengeView(challenge: Challenge) {
  return {
    challengeId: challenge.challengeId,
    userId: challenge.userId,
    status: challenge.status,
    reason: challenge.reason,
    decidedAt: challenge.decidedAt?.toISOString() ?? null,
  };
}

/** A challenge ends a miss when the user did not approve it (CONTRACT §5: denied, expired or mismatched). */
export function isMiss(status: ChallengeStatus): boolean {
  return status === 'denied' || status === 'expired';
}
