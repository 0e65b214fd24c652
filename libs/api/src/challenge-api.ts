import Type, { type Static } from 'typebox';
import { ChallengeContextInput, Nullable, Timestamp, UserId } from '@vigil/events';

// CONTRACT §5, the login system's challenge API: the challenge service validates and serializes with these schemas,
// its OpenAPI document shows them, and the login client's types are derived from them.

export const ChallengeParams = Type.Object({ challengeId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9-]+$' }) }, { additionalProperties: false });

export const IdempotencyHeaders = Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 128, pattern: '^[\\x21-\\x7e]+$' })) });

export const CreateChallengeBody = Type.Object({ userId: UserId, context: Type.Optional(ChallengeContextInput) }, { additionalProperties: false });
export type CreateChallengeBody = Static<typeof CreateChallengeBody>;

export const ChallengeStatus = Type.Enum(['pending', 'approved', 'denied', 'reported', 'expired', 'cancelled']);
export type ChallengeStatus = Static<typeof ChallengeStatus>;

/** 201 for a new challenge, 200 for an Idempotency-Key repeat of a pending one. */
export const ChallengeCreatedBody = Type.Object({
  challengeId: Type.String(), status: ChallengeStatus, numberMatch: Type.String({ description: 'shown on the login page; the user types it on the phone' }),
  expiresAt: Timestamp, delivery: Type.Enum(['push', 'quiet']),
}, { additionalProperties: false });
export type ChallengeCreatedBody = Static<typeof ChallengeCreatedBody>;

export const ChallengeBody = Type.Object({
  challengeId: Type.String(), userId: UserId, status: ChallengeStatus, reason: Nullable(Type.String()), decidedAt: Nullable(Timestamp),
}, { additionalProperties: false });
export type ChallengeBody = Static<typeof ChallengeBody>;
