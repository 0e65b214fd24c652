import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { profilePath, readProfile, type ProfileRef } from './profile-store.ts';
import { addTotpAccount, totpCodeLines } from './totp-commands.ts';

const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const OTHER_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const uri = (label: string, secret = RFC_SECRET) => `otpauth://totp/${label}?secret=${secret}&issuer=${label.split(':')[0]}&algorithm=SHA1&digits=6&period=30`;
const dirs: string[] = [];
function freshProfile(): ProfileRef {
  const stateDir = mkdtempSync(join(tmpdir(), 'vigil-device-cli-'));
  dirs.push(stateDir);
  return { stateDir, profile: 'phone' };
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('totp add and totp code', () => {
  it('adds an account from an otpauth URI and shows its code grouped with the seconds left (RFC 6238, T=59)', () => {
    const ref = freshProfile();
    expect(addTotpAccount(ref, uri('Vigil:alice'))).toMatchObject({ issuer: 'Vigil', account: 'alice' });
    expect(totpCodeLines(ref, undefined, new Date(59_000))).toEqual(['Vigil (alice)  287 082  1 s left']);
    expect(totpCodeLines(ref, 'alice', new Date(1_111_111_111_000))).toEqual(['Vigil (alice)  050 471  29 s left']);
  });

  it('keeps the account in the device\'s profile file, readable by its owner only, next to the push key', () => {
    const ref = freshProfile();
    mkdirSync(join(ref.stateDir, 'devices'));
    const pushDevice = { secretKey: 'c2VjcmV0', activation: { deviceId: 'd-1', tenantId: 'acme', userId: 'alice', serverPublicKey: 'k', serverKeyId: 'kid' }, enrollmentUrl: 'http://127.0.0.1:8081' };
    writeFileSync(profilePath(ref), JSON.stringify(pushDevice), { mode: 0o600 });
    addTotpAccount(ref, uri('Vigil:alice'));
    expect(readProfile(ref)).toEqual({ ...pushDevice, totpAccounts: [{ issuer: 'Vigil', account: 'alice', secret: RFC_SECRET, algorithm: 'SHA1', digits: 6, period: 30 }] });

    const fresh = freshProfile();
    addTotpAccount(fresh, uri('Vigil:alice'));
    expect(statSync(profilePath(fresh)).mode & 0o777).toBe(0o600);
  });

  it('lists every account, picks one by account, issuer:account or label, and replaces a re-added one', () => {
    const ref = freshProfile();
    addTotpAccount(ref, uri('Vigil:alice'));
    addTotpAccount(ref, uri('Acme:alice', OTHER_SECRET));
    addTotpAccount(ref, uri('Acme:bob', OTHER_SECRET));
    const at = new Date(59_000);
    expect(totpCodeLines(ref, undefined, at)).toHaveLength(3);
    expect(totpCodeLines(ref, 'alice', at).map((line) => line.split('  ')[0])).toEqual(['Vigil (alice)', 'Acme (alice)']);
    expect(totpCodeLines(ref, 'vigil:ALICE', at)).toEqual(['Vigil (alice)  287 082  1 s left']);
    expect(totpCodeLines(ref, 'Acme (bob)', at)).toHaveLength(1);

    addTotpAccount(ref, uri('Acme:bob', RFC_SECRET));
    expect(readProfile(ref).totpAccounts).toHaveLength(3);
    expect(totpCodeLines(ref, 'bob', at)).toEqual(['Acme (bob)  287 082  1 s left']);
  });

  it('never prints the secret', () => {
    const ref = freshProfile();
    addTotpAccount(ref, uri('Vigil:alice'));
    expect(totpCodeLines(ref).join('\n')).not.toContain(RFC_SECRET);
  });

  it('refuses an unsupported URI and keeps nothing of it', () => {
    const ref = freshProfile();
    expect(() => addTotpAccount(ref, uri('Vigil:alice').replace('digits=6', 'digits=8'))).toThrow(/8-digit codes are not supported/);
    expect(() => addTotpAccount(ref, `otpauth://hotp/Vigil:alice?secret=${RFC_SECRET}&counter=1`)).toThrow(/HOTP/);
    expect(() => readFileSync(profilePath(ref))).toThrow();
  });

  it('says how to add an account when there is none, and which there are when the name matches none', () => {
    const ref = freshProfile();
    expect(() => totpCodeLines(ref)).toThrow(/totp add <otpauth-uri>/);
    addTotpAccount(ref, uri('Vigil:alice'));
    expect(() => totpCodeLines(ref, 'mallory')).toThrow('no TOTP account "mallory"; there are: Vigil (alice)');
  });
});
