import { describe, expect, it } from 'vitest';
import { sha256Hex } from '@vigil/crypto';
import { ReadersBehindError } from '@vigil/kafka';
import { DeviceConflict, type ConsumedActivation } from '../src/domain/ports.ts';
import { activateDevice, type ActivateDevice } from '../src/use-cases/activate-device.ts';
import { ALICE, NOW, aDevice, emitted, factorChangesSucceed, newEnrollmentTestDeps, type EnrollmentTestDeps } from './use-case-doubles.ts';

const KEY = 'K'.repeat(43);
const command: ActivateDevice = {
  activationCode: 'the-code', publicKey: KEY, platform: 'ios', pushToken: null, deviceName: 'iPhone', appVersion: '2.0', sourceIp: '198.51.100.7',
};

function aCode(overrides: Partial<ConsumedActivation> = {}): ConsumedActivation {
  return { ...ALICE, enrollmentId: 'enrollment-1', expiresAt: new Date(NOW.getTime() + 60_000), replace: false, proofId: null, repeat: false, ...overrides };
}

/** A deps whose address is not throttled, whose code is `code`, and whose factor changes go through. */
function activation(code: ConsumedActivation | null): EnrollmentTestDeps {
  const deps = newEnrollmentTestDeps();
  deps.throttle.blockedForMs.mockResolvedValue(null);
  deps.codes.consume.mockResolvedValue(code);
  factorChangesSucceed(deps);
  return deps;
}

describe('activating a device', () => {
  it('stores the device, spends the user\'s other codes, announces it and publishes the factors with it', async () => {
    const deps = activation(aCode());
    deps.devices.findActiveByUser.mockResolvedValueOnce(null).mockImplementation(async () => deps.devices.insert.mock.calls[0]?.[0] ?? null);
    deps.devices.insert.mockResolvedValue(undefined);
    deps.codes.invalidateOthers.mockResolvedValue(undefined);

    const answer = await activateDevice(deps, command);

    expect(answer).toEqual({ deviceId: 'id-1', ...ALICE, serverPublicKey: 'server-public-key', serverKeyId: 'server-1' });
    expect(deps.codes.consume).toHaveBeenCalledWith(sha256Hex('the-code'), NOW, KEY);
    expect(deps.devices.insert).toHaveBeenCalledWith(expect.objectContaining({ deviceId: 'id-1', publicKey: KEY, platform: 'ios', pushToken: null }));
    expect(deps.codes.invalidateOthers).toHaveBeenCalledWith(ALICE, 'enrollment-1', NOW);
    expect(emitted(deps)).toEqual(['vigil.push.device-activated']);
    expect(deps.events.emit).toHaveBeenCalledWith('vigil.push.device-activated', expect.objectContaining({ channel: 'poll', replacedDeviceId: null }));
    const [snapshot] = deps.factors.publish.mock.calls[0] ?? [];
    expect(snapshot?.push).toMatchObject({ deviceId: 'id-1', publicKey: KEY, channel: 'poll' });
    expect(deps.factorVersions.settled).toHaveBeenCalledWith(ALICE, 'mark-1');
  });

  it('replaces the user\'s device with a code issued to replace, and announces the revocation first', async () => {
    const deps = activation(aCode({ replace: true }));
    deps.devices.revoke.mockResolvedValue(aDevice());
    deps.devices.insert.mockResolvedValue(undefined);
    deps.devices.findActiveByUser.mockResolvedValue(null);
    deps.codes.invalidateOthers.mockResolvedValue(undefined);

    await activateDevice(deps, command);

    expect(deps.devices.revoke).toHaveBeenCalledWith(ALICE, 'replaced', NOW);
    expect(emitted(deps)).toEqual(['vigil.push.device-revoked', 'vigil.push.device-activated']);
    expect(deps.events.emit).toHaveBeenLastCalledWith('vigil.push.device-activated', expect.objectContaining({ replacedDeviceId: 'device-1' }));
  });
});

describe('activation refusals (CONTRACT §4)', () => {
  it('answers throttled with the time left when the address failed too often, without looking at the code', async () => {
    const deps = newEnrollmentTestDeps();
    deps.throttle.blockedForMs.mockResolvedValue(42_500);

    const refusal = await activateDevice(deps, command).catch((error: unknown) => error);

    expect(refusal).toMatchObject({ code: 'throttled', status: 429, retryAfterMs: 42_500 });
    expect(deps.codes.consume).not.toHaveBeenCalled();
  });

  it('answers activation_code_invalid for an unknown, used or expired code, and counts the failure', async () => {
    const deps = activation(null);
    deps.throttle.recordFailure.mockResolvedValue(undefined);

    await expect(activateDevice(deps, command)).rejects.toMatchObject({ code: 'activation_code_invalid', status: 410 });
    expect(deps.throttle.recordFailure).toHaveBeenCalledWith('198.51.100.7');
  });

  it('answers device_already_enrolled when a plain code meets a device activated after it was issued', async () => {
    const deps = activation(aCode());
    deps.devices.findActiveByUser.mockResolvedValue(aDevice());

    await expect(activateDevice(deps, command)).rejects.toMatchObject({ code: 'device_already_enrolled', status: 409 });
    expect(deps.devices.insert).not.toHaveBeenCalled();
    expect(deps.factors.publish).not.toHaveBeenCalled();
  });

  it('answers device_already_enrolled when another activation of the user wins the race to insert', async () => {
    const deps = activation(aCode({ proofId: 'proof-1' }));
    deps.devices.revoke.mockResolvedValue(null);
    deps.devices.insert.mockRejectedValue(new DeviceConflict());

    await expect(activateDevice(deps, command)).rejects.toMatchObject({ code: 'device_already_enrolled' });
    expect(deps.codes.invalidateOthers).not.toHaveBeenCalled();
    expect(deps.events.emit).not.toHaveBeenCalled();
  });

  it('answers activation_code_invalid to a repeat by a key whose device was revoked since', async () => {
    const deps = activation(aCode({ repeat: true }));
    deps.devices.findActiveByUser.mockResolvedValue(null);
    deps.devices.wasRevoked.mockResolvedValue(true);
    deps.throttle.recordFailure.mockResolvedValue(undefined);

    await expect(activateDevice(deps, command)).rejects.toMatchObject({ code: 'activation_code_invalid' });
    expect(deps.devices.wasRevoked).toHaveBeenCalledWith(ALICE, KEY);
    expect(deps.devices.insert).not.toHaveBeenCalled();
  });
});

describe('an activation that fails after the device was stored (ADR 0012)', () => {
  it('propagates the failure and leaves its change marked unsettled, for the repair sweep', async () => {
    const deps = activation(aCode());
    deps.devices.findActiveByUser.mockResolvedValue(null);
    deps.devices.insert.mockResolvedValue(undefined);
    deps.codes.invalidateOthers.mockResolvedValue(undefined);
    deps.events.emit.mockRejectedValue(new Error('kafka down'));

    await expect(activateDevice(deps, command)).rejects.toThrow('kafka down');
    expect(deps.devices.insert).toHaveBeenCalledTimes(1);
    expect(deps.factors.publish).not.toHaveBeenCalled();
    expect(deps.factorVersions.settled).not.toHaveBeenCalled();
  });

  it('converges on a repeat with the same key: the same device, published again, stored and announced once', async () => {
    const deps = activation(aCode());
    const stored = aDevice({ deviceId: 'id-1', publicKey: KEY });
    deps.devices.findActiveByUser.mockResolvedValue(null);
    deps.devices.insert.mockResolvedValue(undefined);
    deps.codes.invalidateOthers.mockResolvedValue(undefined);
    deps.factors.publish.mockRejectedValueOnce(new ReadersBehindError(['verification']));
    await expect(activateDevice(deps, command)).rejects.toBeInstanceOf(ReadersBehindError);

    deps.codes.consume.mockResolvedValue(aCode({ repeat: true }));
    deps.devices.findActiveByUser.mockResolvedValue(stored);
    const answer = await activateDevice(deps, command);

    expect(answer.deviceId).toBe('id-1');
    expect(deps.devices.insert).toHaveBeenCalledTimes(1);
    expect(emitted(deps)).toEqual(['vigil.push.device-activated']);
    expect(deps.codes.invalidateOthers).toHaveBeenCalledTimes(2);
    expect(deps.factors.publish).toHaveBeenCalledTimes(2);
    expect(deps.factorVersions.settled).toHaveBeenCalledExactlyOnceWith(ALICE, 'mark-2');
  });

  it('activates on a repeat whose first try died before the device was stored', async () => {
    const deps = activation(aCode({ repeat: true }));
    deps.devices.findActiveByUser.mockResolvedValue(null);
    deps.devices.wasRevoked.mockResolvedValue(false);
    deps.devices.insert.mockResolvedValue(undefined);
    deps.codes.invalidateOthers.mockResolvedValue(undefined);

    const answer = await activateDevice(deps, command);

    expect(answer.deviceId).toBe('id-1');
    expect(emitted(deps)).toEqual(['vigil.push.device-activated']);
  });
});
