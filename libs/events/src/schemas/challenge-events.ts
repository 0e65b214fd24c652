import Type from 'typebox';
import { ChallengeContext, Id, Nullable, Timestamp, UserRef, strict } from './common.ts';

export const ChallengeCreated = Type.Object(
  {
    ...UserRef,
    challengeId: Id,
    deviceId: Id,
    // The verification service compares the typed number with it; it never reaches the phone (CONTRACT §3).
    numberMatch: Type.String({ pattern: '^[0-9]{2,8}$' }),
    numberMatchDigits: Type.Integer({ minimum: 2, maximum: 8 }),
    createdAt: Timestamp,
    expiresAt: Timestamp,
    context: ChallengeContext,
    // CONTRACT §5 (v2): a quiet challenge wakes no phone; the device finds it when the app is opened. Absent in events
    // written before v2, which were all pushed.
    delivery: Type.Optional(Type.Enum(['push', 'quiet'])),
    quietReason: Type.Optional(Type.Enum(['cooldown', 'user_per_minute', 'user_per_hour', 'since_success'])),
  },
  strict,
);

// v2 refuses only for these two; the other values appear in events written before quiet delivery.
export const ThrottleRule = Type.Enum(['ip_per_minute', 'quiet_per_hour', 'user_per_minute', 'user_per_hour', 'cooldown']);

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
