import { randomBytes } from 'node:crypto';
import * as ed from '@noble/ed25519';
import { describe, expect, it } from 'vitest';
import { verifyEd25519 } from '@vigil/crypto';

// The device SDK signs with @noble/ed25519; the services verify with node:crypto (OpenSSL), which is ~15× faster
// (`npm run bench`). That trade is only safe if both accept exactly the same signatures, edge cases included.

const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const P = 2n ** 255n - 19n;
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
const littleEndian = (value: bigint) => {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i += 1) out[i] = Number((value >> BigInt(8 * i)) & 0xffn);
  return out;
};
const readLittleEndian = (bytes: Uint8Array) => bytes.reduce((acc, byte, i) => acc + (BigInt(byte) << BigInt(8 * i)), 0n);

async function noble(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<boolean> {
  try {
    return await ed.verifyAsync(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}

async function agree(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<{ noble: boolean; node: boolean }> {
  return { noble: await noble(publicKey, message, signature), node: verifyEd25519(b64(publicKey), message, b64(signature)) };
}

describe('Ed25519: @noble/ed25519 (zip215: false) and node:crypto agree', () => {
  it('on 200 random keys and messages, valid and corrupted', async () => {
    for (let i = 0; i < 200; i += 1) {
      const secret = ed.utils.randomSecretKey();
      const publicKey = await ed.getPublicKeyAsync(secret);
      const message = randomBytes(i % 64);
      const signature = await ed.signAsync(message, secret);
      expect(await agree(publicKey, message, signature)).toEqual({ noble: true, node: true });
      const corrupted = signature.slice();
      corrupted[i % 64] = (corrupted[i % 64] ?? 0) ^ (1 << (i % 8));
      const result = await agree(publicKey, message, corrupted);
      expect(result.noble).toBe(result.node);
    }
  }, 60_000); // pure-JS noble is slow, more so on a busy CI machine

  it('on malleated signatures (S + L): both refuse', async () => {
    const secret = ed.utils.randomSecretKey();
    const publicKey = await ed.getPublicKeyAsync(secret);
    const message = randomBytes(32);
    const signature = await ed.signAsync(message, secret);
    const s = readLittleEndian(signature.slice(32));
    const malleated = new Uint8Array([...signature.slice(0, 32), ...littleEndian(s + L)]);
    expect(await agree(publicKey, message, malleated)).toEqual({ noble: false, node: false });
  });

  it('on non-canonical encodings of R and A (y ≥ p): both refuse', async () => {
    const secret = ed.utils.randomSecretKey();
    const publicKey = await ed.getPublicKeyAsync(secret);
    const message = randomBytes(16);
    const signature = await ed.signAsync(message, secret);
    // y = p + 1 encodes the identity's y = 1 non-canonically.
    const nonCanonical = littleEndian(P + 1n);
    expect(await agree(publicKey, message, new Uint8Array([...nonCanonical, ...signature.slice(32)]))).toEqual({ noble: false, node: false });
    expect(await agree(nonCanonical, message, signature)).toEqual({ noble: false, node: false });
  });

  it('on small-order keys with a trivial signature: both refuse', async () => {
    // A = identity (y = 1), R = identity, S = 0 satisfies the cofactorless equation for every message.
    const identity = littleEndian(1n);
    const signature = new Uint8Array([...identity, ...new Uint8Array(32)]);
    expect(await agree(identity, randomBytes(8), signature)).toEqual({ noble: false, node: false });
  });
});
