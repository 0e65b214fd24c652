import { describe, expect, it } from 'vitest';
import { OtpauthUriError, currentTotp, parseOtpauthUri, totpAccountLabel } from '../src/index.ts';

// RFC 6238 Appendix B: the SHA-1 seed is the ASCII "12345678901234567890".
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const uri = (params: string, label = 'Vigil:alice') => `otpauth://totp/${label}?${params}`;

describe('otpauth:// URIs', () => {
  it('parses the URI Vigil issues (issuer in label and parameter, SHA1/6/30 spelled out)', () => {
    expect(parseOtpauthUri(uri(`issuer=Vigil&secret=${RFC_SECRET}&algorithm=SHA1&digits=6&period=30`))).toEqual({
      issuer: 'Vigil', account: 'alice', secret: RFC_SECRET, algorithm: 'SHA1', digits: 6, period: 30,
    });
  });

  it('takes the defaults (SHA1, 6 digits, 30 s) when the URI leaves them out, and an issuer from either place', () => {
    expect(parseOtpauthUri(uri(`secret=${RFC_SECRET}`))).toMatchObject({ issuer: 'Vigil', account: 'alice' });
    expect(parseOtpauthUri(uri(`secret=${RFC_SECRET}&issuer=Acme%20Corp`, 'bob%40acme.example'))).toMatchObject({ issuer: 'Acme Corp', account: 'bob@acme.example' });
    expect(parseOtpauthUri(uri(`secret=${RFC_SECRET}`, 'carol'))).toMatchObject({ issuer: '', account: 'carol' });
  });

  it('accepts a lower-case, padded or spaced secret and keeps it normalised', () => {
    expect(parseOtpauthUri(uri('secret=jbsw%20y3dp%20ehpk%203pxp====&issuer=Vigil')).secret).toBe('JBSWY3DPEHPK3PXP');
    expect(parseOtpauthUri(uri(`secret=${RFC_SECRET}&algorithm=sha1`)).algorithm).toBe('SHA1');
  });

  it.each([
    ['HOTP', `otpauth://hotp/Vigil:alice?secret=${RFC_SECRET}&counter=0`, /HOTP/],
    ['SHA256', uri(`secret=${RFC_SECRET}&algorithm=SHA256`), /SHA256 is not supported/],
    ['8 digits', uri(`secret=${RFC_SECRET}&digits=8`), /8-digit codes are not supported/],
    ['a 60 s period', uri(`secret=${RFC_SECRET}&period=60`), /60-second period/],
    ['a missing secret', uri('issuer=Vigil'), /no secret/],
    ['an empty secret', uri('secret=&issuer=Vigil'), /no secret/],
    ['bad base32 (0, 1, 8 are not in the alphabet)', uri('secret=GEZDGNBVGY3TQOJ0&issuer=Vigil'), /not valid base32/],
    ['bad base32 (an impossible length)', uri('secret=GEZDGNBVGY3TQOJQG&issuer=Vigil'), /not valid base32/],
    ['a secret under 80 bits', uri('secret=GEZDGNBV&issuer=Vigil'), /too short/],
    ['another scheme', `https://example.com/totp/Vigil:alice?secret=${RFC_SECRET}`, /not an otpauth/],
    ['no URI at all', 'paste here', /not an otpauth/],
    ['no account', uri(`secret=${RFC_SECRET}`, 'Vigil:'), /no account/],
    ['issuers that disagree', uri(`secret=${RFC_SECRET}&issuer=Evil`), /differ/],
  ])('refuses %s, saying why', (_what, given, reason) => {
    expect(() => parseOtpauthUri(given)).toThrow(OtpauthUriError);
    expect(() => parseOtpauthUri(given)).toThrow(reason);
  });

  it('names an account by issuer and account', () => {
    expect(totpAccountLabel({ issuer: 'Vigil', account: 'alice' })).toBe('Vigil (alice)');
    expect(totpAccountLabel({ issuer: '', account: 'alice' })).toBe('alice');
  });
});

describe('current code and time left', () => {
  const account = parseOtpauthUri(uri(`secret=${RFC_SECRET}`));

  it('gives the RFC 6238 code at T=59 with one second left in its step', () => {
    expect(currentTotp(account, new Date(59_000))).toEqual({ code: '287082', secondsLeft: 1 });
  });

  it('counts the seconds left down through a step and starts again at 30', () => {
    expect(currentTotp(account, new Date(60_000)).secondsLeft).toBe(30);
    expect(currentTotp(account, new Date(60_999)).secondsLeft).toBe(30);
    expect(currentTotp(account, new Date(75_000)).secondsLeft).toBe(15);
    expect(currentTotp(account, new Date(89_500)).secondsLeft).toBe(1);
    expect(currentTotp(account, new Date(1_111_111_109_000))).toEqual({ code: '081804', secondsLeft: 1 });
  });
});
