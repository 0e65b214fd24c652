import Type from 'typebox';
import { Id, Nullable, Platform, PushChannel, Timestamp, UserRef, strict } from './common.ts';

/** AES-256-GCM envelope of a secret; `keyId` names the key of VIGIL_SECRET_KEYS that sealed it (rotation). */
export const EncryptedSecret = Type.Object(
  {
    keyId: Type.String({ minLength: 1, maxLength: 64 }),
    iv: Type.String({ minLength: 1 }),
    ciphertext: Type.String({ minLength: 1 }),
    tag: Type.String({ minLength: 1 }),
  },
  strict,
);

export const PushFactor = Type.Object(
  {
    deviceId: Id,
    // Raw 32-byte Ed25519 public key, base64url without padding (CONTRACT §3).
    publicKey: Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' }),
    platform: Platform,
    channel: PushChannel,
    pushToken: Nullable(Type.String({ minLength: 1, maxLength: 4096 })),
    deviceName: Nullable(Type.String({ maxLength: 128 })),
    enrolledAt: Timestamp,
  },
  strict,
);

export const TotpFactor = Type.Object(
  {
    secret: EncryptedSecret,
    enrolledAt: Timestamp,
    // The RFC 6238 time step of the code that confirmed the enrollment: that code is spent (CONTRACT §4 v2), so
    // verification treats the step as already used. Optional: snapshots written before v2 have none.
    spentStep: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  strict,
);

/**
 * The user's current factors, keyed tenantId:userId on a compacted topic: the latest snapshot is the truth.
 * `version` grows with every change so that projections can ignore a stale snapshot.
 */
export const FactorsSnapshot = Type.Object(
  { ...UserRef, version: Type.Integer({ minimum: 0 }), push: Nullable(PushFactor), totp: Nullable(TotpFactor), updatedAt: Timestamp },
  strict,
);
