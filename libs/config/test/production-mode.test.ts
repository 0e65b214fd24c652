import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, isProduction, productionProblems } from '../src/index.ts';

const key = () => randomBytes(32).toString('base64url');
const SAMPLE = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8';

describe('production mode (CONTRACT §2)', () => {
  it('is on with VIGIL_ENV=production or NODE_ENV=production, and VIGIL_ENV decides when both are set', () => {
    expect(isProduction({})).toBe(false);
    expect(isProduction({ NODE_ENV: 'production' })).toBe(true);
    expect(isProduction({ VIGIL_ENV: 'production' })).toBe(true);
    expect(isProduction({ VIGIL_ENV: 'development', NODE_ENV: 'production' })).toBe(false);
    expect(() => isProduction({ VIGIL_ENV: 'prod' })).toThrow(ConfigError);
  });

  it('accepts long random keys with separate signing and sealing material', () => {
    expect(productionProblems({
      VIGIL_API_KEYS: `acme:admin:${key()},acme:auth:${key()}`, VIGIL_SERVER_SIGNING_KEY: key(), VIGIL_SECRET_KEYS: `k1:${key()},k2:${key()}`,
    })).toEqual([]);
  });

  it('names each variable holding a published, short or shared key, never its value', () => {
    const signing = key();
    const problems = productionProblems({
      VIGIL_API_KEYS: `acme:admin:dev-admin-key,acme:auth:${key()}`, VIGIL_SERVER_SIGNING_KEY: signing, VIGIL_SECRET_KEYS: `k1:${signing}`,
    });
    expect(problems).toEqual([
      'VIGIL_API_KEYS: holds a development key published in this repository',
      'VIGIL_API_KEYS: every key must be at least 32 characters in production',
      'VIGIL_SECRET_KEYS: shares key material with VIGIL_SERVER_SIGNING_KEY; signing and sealing need separate keys',
    ]);
    expect(problems.join(' ')).not.toContain(signing);
    expect(productionProblems({ VIGIL_API_KEYS: 'acme:soc:short-but-not-published' })).toHaveLength(1);
    expect(productionProblems({ VIGIL_SERVER_SIGNING_KEY: SAMPLE, VIGIL_SECRET_KEYS: `dev1:${SAMPLE}` })).toEqual([
      'VIGIL_SERVER_SIGNING_KEY: is the sample key published in this repository',
      'VIGIL_SECRET_KEYS: holds the sample key published in this repository',
      'VIGIL_SECRET_KEYS: shares key material with VIGIL_SERVER_SIGNING_KEY; signing and sealing need separate keys',
    ]);
  });
});
