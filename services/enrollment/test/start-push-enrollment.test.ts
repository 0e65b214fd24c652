import { describe, expect, it } from 'vitest';
import { sha256Hex } from '@vigil/crypto';
import { startPushEnrollment } from '../src/use-cases/start-push-enrollment.ts';
import { ALICE, NOW, aDevice, newEnrollmentTestDeps } from './use-case-doubles.ts';

function enrollment(options: { active: boolean }) {
  const deps = newEnrollmentTestDeps();
  deps.devices.findActiveByUser.mockResolvedValue(options.active ? aDevice() : null);
  deps.codes.insert.mockResolvedValue(undefined);
  deps.events.emit.mockResolvedValue(undefined);
  return deps;
}

describe('starting a push enrollment', () => {
  it('keeps only the hash of the code it answers, and announces the enrollment', async () => {
    const deps = enrollment({ active: false });

    const started = await startPushEnrollment(deps, { ...ALICE, replace: false, proofId: null });

    const expiresAt = new Date(NOW.getTime() + 600_000).toISOString();
    expect(started).toMatchObject({ enrollmentId: 'id-1', expiresAt });
    expect(started.activationUri).toBe(`vigil://activate?code=${started.activationCode}&api=${encodeURIComponent('https://enroll.example')}`);
    expect(deps.codes.insert).toHaveBeenCalledWith(sha256Hex(started.activationCode), { ...ALICE, enrollmentId: 'id-1', expiresAt: new Date(expiresAt), replace: false, proofId: null });
    expect(deps.events.emit).toHaveBeenCalledWith('vigil.push.enrollment-started', { ...ALICE, enrollmentId: 'id-1', expiresAt, replace: false, proofId: null });
  });

  it('answers device_already_enrolled when the user has a device and neither replace nor a proof is given', async () => {
    const deps = enrollment({ active: true });

    await expect(startPushEnrollment(deps, { ...ALICE, replace: false, proofId: null })).rejects.toMatchObject({ code: 'device_already_enrolled', status: 409 });
    expect(deps.codes.insert).not.toHaveBeenCalled();
  });

  it('answers device_already_enrolled for a proof older than allowed, having spent it', async () => {
    const deps = enrollment({ active: true });
    deps.proofs.take.mockResolvedValue(new Date(NOW.getTime() - 300_001));

    await expect(startPushEnrollment(deps, { ...ALICE, replace: false, proofId: 'proof-1' })).rejects.toMatchObject({ code: 'device_already_enrolled' });
    expect(deps.proofs.take).toHaveBeenCalledWith(ALICE, 'proof-1');
  });

  it('issues a replacing code for a fresh proof of the same user', async () => {
    const deps = enrollment({ active: true });
    deps.proofs.take.mockResolvedValue(new Date(NOW.getTime() - 1_000));

    await startPushEnrollment(deps, { ...ALICE, replace: false, proofId: 'proof-1' });

    expect(deps.codes.insert).toHaveBeenCalledWith(expect.any(String), expect.objectContaining({ replace: false, proofId: 'proof-1' }));
  });

  it('issues a plain code when a proof is named while the user has no device (the proof was never checked)', async () => {
    const deps = enrollment({ active: false });

    await startPushEnrollment(deps, { ...ALICE, replace: false, proofId: 'proof-1' });

    expect(deps.proofs.take).not.toHaveBeenCalled();
    expect(deps.codes.insert).toHaveBeenCalledWith(expect.any(String), expect.objectContaining({ proofId: null }));
  });
});
