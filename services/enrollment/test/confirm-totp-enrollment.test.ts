import { describe, expect, it } from 'vitest';
import { newTotpSecret, toBase32 } from '@vigil/crypto';
import { totpCode } from '@vigil/device-sdk';
import type { PendingTotp } from '../src/domain/ports.ts';
import { confirmTotpEnrollment } from '../src/use-cases/confirm-totp-enrollment.ts';
import { ALICE, NOW, emitted, factorChangesSucceed, newEnrollmentTestDeps, type EnrollmentTestDeps } from './use-case-doubles.ts';

const SECRET = newTotpSecret();
const CODE = totpCode(toBase32(SECRET), NOW);
const WRONG_CODE = CODE === '000000' ? '111111' : '000000';

function confirmation(): { deps: EnrollmentTestDeps; pending: PendingTotp } {
  const deps = newEnrollmentTestDeps();
  factorChangesSucceed(deps);
  deps.devices.findActiveByUser.mockResolvedValue(null);
  const pending = { ...ALICE, enrollmentId: 'enrollment-1', secret: deps.secretBox.seal(SECRET, 'acme:alice'), expiresAt: new Date(NOW.getTime() + 60_000) };
  deps.totp.findPending.mockResolvedValue(pending);
  return { deps, pending };
}

describe('confirming a TOTP enrollment', () => {
  it('makes the pending secret the user\'s, with the confirming code spent, and publishes it', async () => {
    const { deps, pending } = confirmation();
    deps.totp.saveCredential.mockResolvedValue(undefined);
    deps.totp.deletePending.mockResolvedValue(undefined);

    await expect(confirmTotpEnrollment(deps, { ...ALICE, enrollmentId: 'enrollment-1', code: CODE })).resolves.toEqual({ confirmed: true });

    expect(deps.totp.saveCredential).toHaveBeenCalledWith({
      ...ALICE, secret: pending.secret, enrolledAt: NOW, enrollmentId: 'enrollment-1', spentStep: Math.floor(NOW.getTime() / 30_000),
    });
    expect(deps.totp.deletePending).toHaveBeenCalledWith(ALICE, 'enrollment-1');
    expect(emitted(deps)).toEqual(['vigil.totp.enrolled']);
    expect(deps.factorVersions.settled).toHaveBeenCalledWith(ALICE, 'mark-1');
  });

  it('answers invalid_code for a code that does not match, and keeps the old secret', async () => {
    const { deps } = confirmation();

    await expect(confirmTotpEnrollment(deps, { ...ALICE, enrollmentId: 'enrollment-1', code: WRONG_CODE })).rejects.toMatchObject({ code: 'invalid_code', status: 422 });
    expect(deps.totp.saveCredential).not.toHaveBeenCalled();
  });

  it('answers not_found for an expired enrollment', async () => {
    const { deps, pending } = confirmation();
    deps.totp.findPending.mockResolvedValue({ ...pending, expiresAt: NOW });

    await expect(confirmTotpEnrollment(deps, { ...ALICE, enrollmentId: 'enrollment-1', code: CODE })).rejects.toMatchObject({ code: 'not_found', status: 404 });
  });

  it('answers invalid_code for a secret sealed for another user (it does not open)', async () => {
    const { deps, pending } = confirmation();
    deps.totp.findPending.mockResolvedValue({ ...pending, secret: deps.secretBox.seal(SECRET, 'acme:mallory') });

    await expect(confirmTotpEnrollment(deps, { ...ALICE, enrollmentId: 'enrollment-1', code: CODE })).rejects.toMatchObject({ code: 'invalid_code' });
  });

  it('propagates a failure after the secret was saved, and a repeat with a valid code converges without announcing twice', async () => {
    const { deps, pending } = confirmation();
    deps.totp.saveCredential.mockResolvedValue(undefined);
    deps.totp.deletePending.mockResolvedValue(undefined);
    deps.factors.publish.mockRejectedValueOnce(new Error('kafka down'));
    await expect(confirmTotpEnrollment(deps, { ...ALICE, enrollmentId: 'enrollment-1', code: CODE })).rejects.toThrow('kafka down');
    expect(deps.factorVersions.settled).not.toHaveBeenCalled();

    deps.totp.findPending.mockResolvedValue(null);
    deps.totp.findCredential.mockResolvedValue({ ...ALICE, secret: pending.secret, enrolledAt: NOW, enrollmentId: 'enrollment-1' });
    await expect(confirmTotpEnrollment(deps, { ...ALICE, enrollmentId: 'enrollment-1', code: CODE })).resolves.toEqual({ confirmed: true });

    expect(deps.totp.saveCredential).toHaveBeenCalledTimes(1);
    expect(emitted(deps)).toEqual(['vigil.totp.enrolled']);
    expect(deps.factors.publish).toHaveBeenCalledTimes(2);
    expect(deps.factorVersions.settled).toHaveBeenCalledExactlyOnceWith(ALICE, 'mark-2');
  });

  it('answers not_found to a repeat with a wrong code, or for a secret another enrollment confirmed', async () => {
    const { deps, pending } = confirmation();
    deps.totp.findPending.mockResolvedValue(null);
    deps.totp.findCredential.mockResolvedValue({ ...ALICE, secret: pending.secret, enrolledAt: NOW, enrollmentId: 'enrollment-1' });
    await expect(confirmTotpEnrollment(deps, { ...ALICE, enrollmentId: 'enrollment-1', code: WRONG_CODE })).rejects.toMatchObject({ code: 'not_found' });

    deps.totp.findCredential.mockResolvedValue({ ...ALICE, secret: pending.secret, enrolledAt: NOW, enrollmentId: 'enrollment-0' });
    await expect(confirmTotpEnrollment(deps, { ...ALICE, enrollmentId: 'enrollment-1', code: CODE })).rejects.toMatchObject({ code: 'not_found' });
    expect(deps.factors.publish).not.toHaveBeenCalled();
  });
});
