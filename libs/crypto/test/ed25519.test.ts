import { describe, expect, it } from 'vitest';
import { deviceRequestMessage, ed25519SigningKey, fromBase64Url, toBase64Url, verifyEd25519 } from '../src/index.ts';

const hex = (value: string) => toBase64Url(Buffer.from(value, 'hex'));

// RFC 8032 §7.1, TEST 1 and TEST 2.
const VECTORS = [
  {
    seed: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    publicKey: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    message: '',
    signature: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    seed: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    publicKey: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    message: '72',
    signature: '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
];

describe('Ed25519', () => {
  it.each(VECTORS)('signs and verifies RFC 8032 vector $publicKey', (vector) => {
    const key = ed25519SigningKey(hex(vector.seed));
    const message = Buffer.from(vector.message, 'hex');
    expect(key.publicKey).toBe(hex(vector.publicKey));
    expect(key.sign(message)).toBe(hex(vector.signature));
    expect(verifyEd25519(hex(vector.publicKey), message, hex(vector.signature))).toBe(true);
  });

  it('rejects a signature over another message, a flipped bit and malformed encodings', () => {
    const [vector] = VECTORS;
    if (!vector) throw new Error('no vector');
    const publicKey = hex(vector.publicKey);
    const signature = Buffer.from(vector.signature, 'hex');
    expect(verifyEd25519(publicKey, Buffer.from('x'), hex(vector.signature))).toBe(false);
    const flipped = Buffer.from(signature);
    flipped[10] = (flipped[10] ?? 0) ^ 1;
    expect(verifyEd25519(publicKey, Buffer.alloc(0), toBase64Url(flipped))).toBe(false);
    expect(verifyEd25519(publicKey, Buffer.alloc(0), `${hex(vector.signature)}=`)).toBe(false);
    expect(verifyEd25519('not-a-key', Buffer.alloc(0), hex(vector.signature))).toBe(false);
    expect(verifyEd25519(publicKey, Buffer.alloc(0), hex(vector.signature).slice(0, 40))).toBe(false);
  });

  it('builds the device request message of CONTRACT §3', () => {
    const message = deviceRequestMessage({ method: 'post', pathWithQuery: '/v1/x?a=1', timestamp: '1700000000000', rawBody: '{"a":1}' });
    expect(new TextDecoder().decode(message)).toBe('vigil/v1\nPOST\n/v1/x?a=1\n1700000000000\n{"a":1}');
  });

  it('accepts only canonical base64url', () => {
    expect(fromBase64Url('AAAA', 3)).not.toBeNull();
    expect(fromBase64Url('AAA=')).toBeNull();
    expect(fromBase64Url('AA+A')).toBeNull();
    expect(fromBase64Url('AAB')).toBeNull(); // trailing bits set: another string would decode to the same bytes
  });
});
