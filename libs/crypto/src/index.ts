export { fromBase64Url, toBase64Url } from './base64url.ts';
export { deviceRequestMessage, serverChallengeMessage, type DeviceRequestParts } from './canonical-messages.ts';
export { ed25519PublicKey, ed25519SigningKey, generateEd25519Seed, verifyEd25519, type Ed25519SigningKey } from './ed25519.ts';
export { createSecretBox, parseSecretKeys, type SealedSecret, type SecretBox } from './secret-box.ts';
export { safeEqual, sha256Hex } from './hashing.ts';
export { matchTotp, newTotpSecret, otpauthUri, toBase32 } from './totp.ts';
