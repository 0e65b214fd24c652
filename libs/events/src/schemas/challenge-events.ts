import Type from 'typebox';
import { ChallengeContext, Id, Nullable, Timestamp, UserRef, strict } from './common.ts';

export const ChallengeCreated = Type.Object(
  {
    ...UserRef,
    challengeId: Id,
    deviceId: Id,
    // The verification service compares the typed number with it; it never reaches the phone (CONTRACT §3).
    numberMatch: Type.String({ pattern: '^[0-9]{2,6}$' }),
    numberMatchDigits: Type.Integer({ minimum: 2, maximum: 6 }),
    createdAt: Timestamp,
    expiresAt: Timestamp,
    context: ChallengeContext,
  },
  strict,
);

export const ThrottleRule = Type.Enum(['user_per_minute', 'user_per_hour', 'ip_per_minute', 'cooldown']);

export const ChallengeThrottled = Type.Object(
  {
    ...UserRef,
    rule: ThrottleRule,
    retryAfterSeconds: Type.Integer({ minimum: 0 }),
    context: ChallengeContext,
    throttledAt: Timestamp,
  },
  strict,
);

export const ChallengeExpired = Type.Object(
  { ...UserRef, challengeId: Id, deviceId: Nullable(Id), expiredAt: Timestamp, context: ChallengeContext },
  strict,
);

export const ChallengeCancelled = Type.Object({ ...UserRef, challengeId: Id, cancelledAt: Timestamp }, strict);
