import { describe, expect, it } from 'vitest';
import { matchTotp, otpauthUri, toBase32 } from '../src/index.ts';

const RFC_SECRET = new TextEncoder().encode('12345678901234567890');

describe('TOTP (the code path enrollment and verification use)', () => {
  // RFC 6238 Appendix B, SHA-1 rows; six-digit codes are the last six digits of the eight-digit ones.
  it.each([
    [59, '287082'], [1111111109, '081804'], [1111111111, '050471'], [1234567890, '005924'], [2000000000, '279037'], [20000000000, '353130'],
  ])('accepts the RFC 6238 code at T=%i', (seconds, code) => {
    expect(matchTotp(RFC_SECRET, code, new Date(seconds * 1000))).toBe(Math.floor(seconds / 30));
  });

  it('accepts one step of drift either way and no more', () => {
    const at = new Date(1111111109 * 1000);
    expect(matchTotp(RFC_SECRET, '081804', new Date(at.getTime() + 30_000))).not.toBeNull();
    expect(matchTotp(RFC_SECRET, '081804', new Date(at.getTime() - 30_000))).not.toBeNull();
    expect(matchTotp(RFC_SECRET, '081804', new Date(at.getTime() + 61_000))).toBeNull();
    expect(matchTotp(RFC_SECRET, '08180', at)).toBeNull();
  });

  it('builds a Google-Authenticator-compatible key URI', () => {
    const uri = new URL(otpauthUri(RFC_SECRET, 'Acme', 'alice@acme.test'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/Acme:alice@acme.test');
    expect(uri.searchParams.get('secret')).toBe(toBase32(RFC_SECRET));
    expect(uri.searchParams.get('issuer')).toBe('Acme');
    expect(uri.searchParams.get('digits')).toBe('6');
    expect(uri.searchParams.get('period')).toBe('30');
    expect(uri.searchParams.get('algorithm')).toBe('SHA1');
  });
});
