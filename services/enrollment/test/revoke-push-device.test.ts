import { describe, expect, it } from 'vitest';
import { revokePushDevice } from '../src/use-cases/revoke-push-device.ts';
import { ALICE, NOW, aDevice, emitted, factorChangesSucceed, newEnrollmentTestDeps } from './use-case-doubles.ts';

function revocation() {
  const deps = newEnrollmentTestDeps();
  factorChangesSucceed(deps);
  deps.devices.findActiveByUser.mockResolvedValue(null);
  return deps;
}

describe('revoking a push device', () => {
  it('lets an admin revoke whatever device the user has, and publishes the user without it', async () => {
    const deps = revocation();
    deps.devices.revoke.mockResolvedValue(aDevice());

    await expect(revokePushDevice(deps, { ...ALICE, by: 'admin' })).resolves.toEqual({ revoked: true });

    expect(deps.devices.revoke).toHaveBeenCalledWith(ALICE, 'admin', NOW);
    expect(deps.events.emit).toHaveBeenCalledWith('vigil.push.device-revoked', { ...ALICE, deviceId: 'device-1', reason: 'admin', revokedAt: NOW.toISOString() });
    expect(deps.factors.publish).toHaveBeenCalledWith(null, ALICE);
    expect(deps.factorVersions.settled).toHaveBeenCalledWith(ALICE, 'mark-1');
  });

  it('lets a device unenroll only itself', async () => {
    const deps = revocation();
    deps.devices.revoke.mockResolvedValue(aDevice());

    await revokePushDevice(deps, { ...ALICE, by: 'self', deviceId: 'device-1' });

    expect(deps.devices.revoke).toHaveBeenCalledWith({ ...ALICE, deviceId: 'device-1' }, 'self', NOW);
    expect(deps.events.emit).toHaveBeenCalledWith('vigil.push.device-revoked', expect.objectContaining({ reason: 'self' }));
  });

  it('propagates a failure after the revocation, and a repeat publishes again without announcing it twice', async () => {
    const deps = revocation();
    deps.devices.revoke.mockResolvedValueOnce(aDevice()).mockResolvedValue(null);
    deps.events.emit.mockRejectedValueOnce(new Error('kafka down'));
    await expect(revokePushDevice(deps, { ...ALICE, by: 'admin' })).rejects.toThrow('kafka down');
    expect(deps.factors.publish).not.toHaveBeenCalled();
    expect(deps.factorVersions.settled).not.toHaveBeenCalled();

    await expect(revokePushDevice(deps, { ...ALICE, by: 'admin' })).resolves.toEqual({ revoked: false });

    expect(emitted(deps)).toEqual(['vigil.push.device-revoked']);
    expect(deps.factors.publish).toHaveBeenCalledExactlyOnceWith(null, ALICE);
    expect(deps.factorVersions.settled).toHaveBeenCalledExactlyOnceWith(ALICE, 'mark-2');
  });
});
