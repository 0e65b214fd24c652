import Type from 'typebox';
import { Id, Nullable, Platform, PushChannel, Timestamp, UserRef, strict } from './common.ts';

export const PushEnrollmentStarted = Type.Object(
  { ...UserRef, enrollmentId: Id, expiresAt: Timestamp, replace: Type.Boolean(), proofId: Nullable(Id) },
  strict,
);

export const PushDeviceActivated = Type.Object(
  {
    ...UserRef,
    enrollmentId: Id,
    deviceId: Id,
    platform: Platform,
    channel: PushChannel,
    deviceName: Nullable(Type.String({ maxLength: 128 })),
    appVersion: Nullable(Type.String({ maxLength: 64 })),
    activatedAt: Timestamp,
    replacedDeviceId: Nullable(Id),
  },
  strict,
);

export const PushDeviceRevoked = Type.Object(
  {
    ...UserRef,
    deviceId: Id,
    reason: Type.Enum(['admin', 'self', 'replaced']),
    revokedAt: Timestamp,
  },
  strict,
);

// The token itself travels only on vigil.factors.v1 (CONTRACT §8); here only the resulting channel.
export const PushTokenUpdated = Type.Object({ ...UserRef, deviceId: Id, channel: PushChannel, updatedAt: Timestamp }, strict);

export const TotpEnrolled = Type.Object({ ...UserRef, enrollmentId: Id, enrolledAt: Timestamp }, strict);

export const TotpRemoved = Type.Object({ ...UserRef, removedAt: Timestamp }, strict);
