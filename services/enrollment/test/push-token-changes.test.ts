import { describe, expect, it } from 'vitest';
import { dropInvalidPushToken } from '../src/use-cases/drop-invalid-push-token.ts';
import { updatePushToken } from '../src/use-cases/update-push-token.ts';
import { ALICE, NOW, aDevice, emitted, factorChangesSucceed, newEnrollmentTestDeps } from './use-case-doubles.ts';

function tokenChange() {
  const deps = newEnrollmentTestDeps();
  factorChangesSucceed(deps);
  deps.devices.findActiveById.mockResolvedValue(aDevice());
  deps.devices.findActiveByUser.mockResolvedValue(aDevice({ pushToken: null }));
  deps.devices.updatePushToken.mockResolvedValue(aDevice({ pushToken: null }));
  return deps;
}

describe('a device changing its own push token', () => {
  it('announces the new channel, publishes it, and notes that the device was seen', async () => {
    const deps = tokenChange();
    deps.devices.touch.mockResolvedValue(undefined);

    await expect(updatePushToken(deps, { deviceId: 'device-1', pushToken: null })).resolves.toEqual({ updated: true });

    expect(deps.devices.updatePushToken).toHaveBeenCalledWith('device-1', null);
    expect(deps.events.emit).toHaveBeenCalledWith('vigil.push.token-updated', { ...ALICE, deviceId: 'device-1', channel: 'poll', updatedAt: NOW.toISOString() });
    expect(deps.factors.publish.mock.calls[0]?.[0]?.push).toMatchObject({ channel: 'poll', pushToken: null });
    expect(deps.devices.touch).toHaveBeenCalledWith('device-1', NOW);
  });

  it('propagates a failure after the token was stored, without noting the device as seen', async () => {
    const deps = tokenChange();
    deps.factors.publish.mockRejectedValue(new Error('kafka down'));

    await expect(updatePushToken(deps, { deviceId: 'device-1', pushToken: 'new-token' })).rejects.toThrow('kafka down');
    expect(deps.factorVersions.settled).not.toHaveBeenCalled();
    expect(deps.devices.touch).not.toHaveBeenCalled();
  });
});

describe('a push token that FCM called dead', () => {
  it('switches the device to poll mode', async () => {
    const deps = tokenChange();

    await expect(dropInvalidPushToken(deps, { tenantId: 'acme', deviceId: 'device-1' })).resolves.toEqual({ switchedToPoll: true });
    expect(deps.devices.updatePushToken).toHaveBeenCalledWith('device-1', null);
    expect(emitted(deps)).toEqual(['vigil.push.token-updated']);
  });

  it('leaves a device of another tenant, an unknown device and a device already polling alone', async () => {
    const deps = newEnrollmentTestDeps();
    deps.devices.findActiveById.mockResolvedValueOnce(aDevice({ tenantId: 'other' })).mockResolvedValueOnce(null).mockResolvedValueOnce(aDevice({ pushToken: null }));

    for (let report = 0; report < 3; report += 1) {
      await expect(dropInvalidPushToken(deps, { tenantId: 'acme', deviceId: 'device-1' })).resolves.toEqual({ switchedToPoll: false });
    }
    expect(deps.devices.updatePushToken).not.toHaveBeenCalled();
    expect(deps.factorVersions.changing).not.toHaveBeenCalled();
  });
});
