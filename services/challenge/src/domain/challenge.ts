export type ChallengeStatus = 'pending' | 'approved' | 'denied' | 'reported' | 'expired' | 'cancelled';
export type DeniedReason = 'user_denied' | 'number_mismatch';
/** How the user learns of a challenge (CONTRACT §5 v2): a wake-up to the phone, or only when the app is opened. */
export type Delivery = 'push' | 'quiet';
/** Why a challenge was not pushed: the user is in cool-down, or over a push budget. */
export type QuietReason = 'cooldown' | 'user_per_minute' | 'user_per_hour' | 'since_success';

export interface ChallengeContext {
  ip?: string;
  userAgent?: string;
  application?: string;
  location?: { country?: string; city?: string; lat?: number; lon?: number };
}

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
