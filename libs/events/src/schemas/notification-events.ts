import Type from 'typebox';
import { Id, Nullable, UserRef, Timestamp, strict } from './common.ts';

const Delivery = {
  ...UserRef,
  challengeId: Id,
  deviceId: Id,
  attempts: Type.Integer({ minimum: 1 }),
  // From challenge creation to the FCM answer: what the user waits for.
  latencyMs: Type.Number({ minimum: 0 }),
};

export const NotificationSent = Type.Object({ ...Delivery, messageId: Type.String(), sentAt: Timestamp }, strict);

export const NotificationFailed = Type.Object(
  { ...Delivery, errorCode: Type.String({ maxLength: 128 }), retryable: Type.Boolean(), failedAt: Timestamp },
  strict,
);

export const NotificationTokenInvalid = Type.Object(
  { ...UserRef, deviceId: Id, challengeId: Nullable(Id), errorCode: Type.String({ maxLength: 128 }), detectedAt: Timestamp },
  strict,
);
