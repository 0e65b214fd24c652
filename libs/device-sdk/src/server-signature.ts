import { serverChallengeMessage } from '@vigil/crypto/messages';
import { decodeBase64Url } from './base64url.ts';
import { nobleEd25519, type Ed25519Engine } from './ed25519-engine.ts';

/** Challenge details as the server sends them (CONTRACT §3). */
export interface SignedPayload {
  payload: string;
  signature: string;
  keyId: string;
}

/**
 * Checks a server-signed payload against the server key learned at activation and returns the parsed payload, or null.
 * `zip215: false` applies RFC 8032's strict rules, the same as the server's OpenSSL, so both accept the same set.
 */
export async function verifyServerPayload<T>(signed: SignedPayload, server: { publicKey: string; keyId: string }, engine: Ed25519Engine = nobleEd25519): Promise<T | null> {
  if (signed.keyId !== server.keyId) return null;
  let valid = false;
  try {
    valid = await engine.verify(decodeBase64Url(signed.signature), serverChallengeMessage(signed.payload), decodeBase64Url(server.publicKey));
  } catch {
    return null;
  }
  return valid ? (JSON.parse(signed.payload) as T) : null;
}
