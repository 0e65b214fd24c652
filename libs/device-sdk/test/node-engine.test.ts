import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nobleEd25519 } from '../src/index.ts';
import { nodeEd25519 } from '../src/node.ts';

describe('nodeEd25519 (node:crypto) is interchangeable with the default noble engine', () => {
  it('derives the same public keys and the same (deterministic) signatures; each verifies the other', async () => {
    for (let i = 0; i < 100; i += 1) {
      const secret = new Uint8Array(randomBytes(32));
      const message = new Uint8Array(randomBytes(i));
      const publicKey = await nobleEd25519.publicKey(secret);
      expect(await nodeEd25519.publicKey(secret)).toEqual(publicKey);
      const signature = await nodeEd25519.sign(message, secret);
      expect(signature).toEqual(await nobleEd25519.sign(message, secret));
      expect(await nobleEd25519.verify(signature, message, publicKey)).toBe(true);
      expect(await nodeEd25519.verify(signature, message, publicKey)).toBe(true);
      const corrupted = signature.slice();
      corrupted[i % 64] = (corrupted[i % 64] ?? 0) ^ 1;
      expect(await nodeEd25519.verify(corrupted, message, publicKey)).toBe(false);
    }
  });

  it('refuses malformed keys and signatures instead of throwing', async () => {
    expect(await nodeEd25519.verify(new Uint8Array(63), new Uint8Array(1), new Uint8Array(32))).toBe(false);
    expect(await nodeEd25519.verify(new Uint8Array(64), new Uint8Array(1), new Uint8Array(31))).toBe(false);
  });
});
