import Type from 'typebox';
import { ChallengeContext, Id, Nullable, Timestamp, UserRef, strict } from './common.ts';

const Decision = { ...UserRef, challengeId: Id, deviceId: Id, decidedAt: Timestamp, context: ChallengeContext };

export const ChallengeApproved = Type.Object(Decision, strict);

export const ChallengeDenied = Type.Object(
  { ...Decision, reason: Type.Enum(['user_denied', 'number_mismatch']) },
  strict,
);

export const ChallengeReported = Type.Object(Decision, strict);

export const RejectionReason = Type.Enum(['invalid_signature', 'replayed', 'stale', 'wrong_device', 'number_mismatch', 'expired', 'already_decided']);

/** Every refused device response: the anomaly service counts them to see attacks on a user's phone. */
export const ResponseRejected = Type.Object(
  {
    ...UserRef,
    challengeId: Nullable(Id),
    deviceId: Nullable(Id),
    reason: RejectionReason,
    sourceIp: Nullable(Type.String({ maxLength: 64 })),
    rejectedAt: Timestamp,
  },
  strict,
);

export const TotpVerified = Type.Object({ ...UserRef, verificationId: Id, verifiedAt: Timestamp }, strict);

export const TotpFailed = Type.Object(
  {
    ...UserRef,
    reason: Type.Enum(['invalid_code', 'reused_code', 'locked']),
    consecutiveFailures: Type.Integer({ minimum: 0 }),
    lockedUntil: Nullable(Timestamp),
    failedAt: Timestamp,
  },
  strict,
);
