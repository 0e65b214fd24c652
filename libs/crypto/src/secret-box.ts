import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { fromBase64Url, toBase64Url } from './base64url.ts';

export interface SealedSecret {
  keyId: string;
  iv: string;
  ciphertext: string;
  tag: string;
}

export interface SecretBox {
  /** Seals with the newest key. */
  seal(plaintext: Uint8Array, associatedData?: string): SealedSecret;
  /** Opens with whichever key sealed it; null if the key is unknown or the data was tampered with. */
  open(sealed: SealedSecret, associatedData?: string): Uint8Array | null;
  readonly currentKeyId: string;
}

/**
 * Parses VIGIL_SECRET_KEYS: comma-separated `keyId:base64url(32 bytes)`, oldest first. New secrets are sealed with the
 * last key; older keys stay to open what they sealed (rotation without re-encrypting everything at once).
 */
export function parseSecretKeys(spec: string): Map<string, Uint8Array> {
  const keys = new Map<string, Uint8Array>();
  for (const item of spec.split(',').map((part) => part.trim()).filter(Boolean)) {
    const [keyId, encoded, ...rest] = item.split(':');
    const key = encoded === undefined ? null : fromBase64Url(encoded, 32);
    if (!keyId || key === null || rest.length > 0) throw new Error('each key must be keyId:base64url-of-32-bytes');
    if (keys.has(keyId)) throw new Error(`key id ${keyId} appears twice`);
    keys.set(keyId, key);
  }
  if (keys.size === 0) throw new Error('at least one key is needed');
  return keys;
}

/** AES-256-GCM with a random 96-bit IV per secret; the associated data binds a secret to its owner (tenant:user). */
export function createSecretBox(keys: Map<string, Uint8Array>): SecretBox {
  const currentKeyId = [...keys.keys()].at(-1);
  if (currentKeyId === undefined) throw new Error('no secret keys');
  const currentKey = keys.get(currentKeyId) as Uint8Array;
  return {
    currentKeyId,
    seal(plaintext, associatedData = '') {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', currentKey, iv);
      cipher.setAAD(Buffer.from(associatedData, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      return { keyId: currentKeyId, iv: toBase64Url(iv), ciphertext: toBase64Url(ciphertext), tag: toBase64Url(cipher.getAuthTag()) };
    },
    open(sealed, associatedData = '') {
      const key = keys.get(sealed.keyId);
      const iv = fromBase64Url(sealed.iv, 12);
      const tag = fromBase64Url(sealed.tag, 16);
      const ciphertext = fromBase64Url(sealed.ciphertext);
      if (!key || !iv || !tag || !ciphertext) return null;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv);
        decipher.setAAD(Buffer.from(associatedData, 'utf8'));
        decipher.setAuthTag(tag);
        return new Uint8Array(Buffer.concat([decipher.update(ciphertext), decipher.final()]));
      } catch {
        return null;
      }
    },
  };
}
