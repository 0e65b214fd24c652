import Type from 'typebox';
import { Nullable, Platform, PushChannel, TenantId, Timestamp, UserId } from '@vigil/events';

export const UserParams = Type.Object({ userId: UserId }, { additionalProperties: false });
export const Base64UrlKey = Type.String({ pattern: '^[A-Za-z0-9_-]{43}$', description: 'raw Ed25519 public key, base64url' });
export const PushToken = Type.Union([Type.String({ minLength: 1, maxLength: 4096 }), Type.Null()]);

// Answers (CONTRACT §4): fastify serializes each with its schema, the OpenAPI document shows them, and the type
// provider checks at compile time that the use case returns this shape.
export const PushEnrollmentStartedBody = Type.Object({
  enrollmentId: Type.String(), activationCode: Type.String(), activationUri: Type.String(), expiresAt: Timestamp,
}, { additionalProperties: false });

export const DeviceActivatedBody = Type.Object({
  deviceId: Type.String(), tenantId: TenantId, userId: UserId, serverPublicKey: Type.String(), serverKeyId: Type.String(),
}, { additionalProperties: false });

export const UserFactorsBody = Type.Object({
  push: Nullable(Type.Object({
    deviceId: Type.String(), platform: Platform, deviceName: Nullable(Type.String()), channel: PushChannel, enrolledAt: Timestamp, lastSeenAt: Timestamp,
  }, { additionalProperties: false })),
  totp: Nullable(Type.Object({ confirmed: Type.Literal(true), enrolledAt: Timestamp }, { additionalProperties: false })),
  pushSuspendedUntil: Nullable(Timestamp),
}, { additionalProperties: false });

export const TotpEnrollmentStartedBody = Type.Object({
  enrollmentId: Type.String(), secret: Type.String({ description: 'base32' }), otpauthUri: Type.String(), expiresAt: Timestamp,
}, { additionalProperties: false });

export const TotpConfirmedBody = Type.Object({ confirmed: Type.Literal(true) }, { additionalProperties: false });
