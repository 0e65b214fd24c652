// Node-only entry (`@vigil/device-sdk/node`): Ed25519 through node:crypto for programs that act as many devices.
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import type { Ed25519Engine } from './ed25519-engine.ts';

// PKCS#8 DER header of an Ed25519 private key; the 32-byte seed follows (RFC 8410).
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
// SPKI DER header of an Ed25519 public key; the 32-byte key follows.
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

const privateKeys = new WeakMap<Uint8Array, KeyObject>();

function privateKeyOf(secretKey: Uint8Array): KeyObject {
  let key = privateKeys.get(secretKey);
  if (!key) {
    key = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, secretKey]), format: 'der', type: 'pkcs8' });
    privateKeys.set(secretKey, key);
  }
  return key;
}

export const nodeEd25519: Ed25519Engine = {
  async publicKey(secretKey) {
    const der = createPublicKey(privateKeyOf(secretKey)).export({ format: 'der', type: 'spki' });
    return new Uint8Array(der.subarray(SPKI_PREFIX.length));
  },
  async sign(message, secretKey) {
    return new Uint8Array(sign(null, message, privateKeyOf(secretKey)));
  },
  async verify(signature, message, publicKey) {
    if (publicKey.length !== 32 || signature.length !== 64) return false;
    try {
      return verify(null, message, { key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' }, signature);
    } catch {
      return false;
    }
  },
};
