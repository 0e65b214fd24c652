import Type from 'typebox';
import { UserId } from '@vigil/events';

export const UserParams = Type.Object({ userId: UserId }, { additionalProperties: false });
export const Base64UrlKey = Type.String({ pattern: '^[A-Za-z0-9_-]{43}$', description: 'raw Ed25519 public key, base64url' });
export const PushToken = Type.Union([Type.String({ minLength: 1, maxLength: 4096 }), Type.Null()]);
