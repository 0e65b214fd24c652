import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox, parseSecretKeys } from '../src/index.ts';

const key = () => randomBytes(32).toString('base64url');

describe('secret box', () => {
  it('seals with the newest key and still opens what older keys sealed', () => {
    const oldKey = key();
    const before = createSecretBox(parseSecretKeys(`k1:${oldKey}`));
    const sealedBefore = before.seal(Buffer.from('secret'), 'acme:alice');
    const after = createSecretBox(parseSecretKeys(`k1:${oldKey},k2:${key()}`));
    const sealedAfter = after.seal(Buffer.from('secret'), 'acme:alice');
    expect(sealedAfter.keyId).toBe('k2');
    expect(Buffer.from(after.open(sealedBefore, 'acme:alice') ?? []).toString()).toBe('secret');
    expect(Buffer.from(after.open(sealedAfter, 'acme:alice') ?? []).toString()).toBe('secret');
  });

  it('refuses tampered data, another owner and unknown keys', () => {
    const box = createSecretBox(parseSecretKeys(`k1:${key()}`));
    const sealed = box.seal(Buffer.from('secret'), 'acme:alice');
    expect(box.open(sealed, 'acme:mallory')).toBeNull();
    expect(box.open({ ...sealed, keyId: 'k9' }, 'acme:alice')).toBeNull();
    const tampered = Buffer.from(sealed.ciphertext, 'base64url');
    tampered[0] = (tampered[0] ?? 0) ^ 1;
    expect(box.open({ ...sealed, ciphertext: tampered.toString('base64url') }, 'acme:alice')).toBeNull();
  });

  it('explains a malformed key list', () => {
    expect(() => parseSecretKeys('k1:short')).toThrow(/keyId:base64url/);
    expect(() => parseSecretKeys('')).toThrow(/at least one/);
  });
});
