import { sha256Hex } from '@vigil/crypto';
import type { UserRef } from '@vigil/events';
import { EnrollmentError } from '../domain/enrollment-error.ts';
import { channelOf } from '../domain/factors.ts';
import { DeviceConflict, type ConsumedActivation, type DeviceRecord } from '../domain/ports.ts';
import type { EnrollmentDeps } from './deps.ts';
import { changeFactors } from './factor-change.ts';

export interface ActivateDevice {
  activationCode: string;
  publicKey: string;
  platform: DeviceRecord['platform'];
  pushToken: string | null;
  deviceName: string | null;
  appVersion: string | null;
  /** Failed activations are counted per address (CONTRACT §4: 5 per 10 minutes). */
  sourceIp: string;
}

export interface DeviceActivated extends UserRef {
  deviceId: string;
  serverPublicKey: string;
  serverKeyId: string;
}

/** One activation in progress: the command, the code it took and whose code that is. */
interface Activation {
  command: ActivateDevice;
  code: ConsumedActivation;
  user: UserRef;
  now: Date;
}

/** CONTRACT §4: a device proves it holds a fresh activation code and becomes the user's one push device. */
export async function activateDevice(deps: EnrollmentDeps, command: ActivateDevice): Promise<DeviceActivated> {
  const blockedForMs = await deps.throttle.blockedForMs(command.sourceIp);
  if (blockedForMs !== null) throw new EnrollmentError('throttled', 'too many failed activations from this address', blockedForMs);
  const now = deps.now();
  const code = await deps.codes.consume(sha256Hex(command.activationCode), now, command.publicKey);
  if (code === null) throw await refusedCode(deps, command.sourceIp);
  const activation: Activation = { command, code, user: { tenantId: code.tenantId, userId: code.userId }, now };
  const repeated = code.repeat ? await repeatedActivation(deps, activation) : null;
  const device = repeated ?? (await changeFactors(deps, activation.user, () => enrollDevice(deps, activation)));
  return { deviceId: device.deviceId, ...activation.user, serverPublicKey: deps.serverKey.publicKey, serverKeyId: deps.serverKey.keyId };
}

async function refusedCode(deps: EnrollmentDeps, sourceIp: string): Promise<EnrollmentError> {
  await deps.throttle.recordFailure(sourceIp);
  // One answer for unknown, used and expired codes: the caller learns nothing about which codes exist.
  return new EnrollmentError('activation_code_invalid', 'the activation code is unknown, used or expired');
}

/**
 * The same device repeating an activation that answered 503 (stored, not yet visible everywhere): publish again and
 * answer as the first time would have. Null when the first try died before the device was stored (it activates now);
 * a device revoked or replaced since gets the used-code answer.
 */
async function repeatedActivation(deps: EnrollmentDeps, { command, code, user, now }: Activation): Promise<DeviceRecord | null> {
  const active = await deps.devices.findActiveByUser(user);
  if (active !== null && active.publicKey === command.publicKey) {
    return changeFactors(deps, user, async () => {
      // The first try may have died before it spent the user's other codes.
      await deps.codes.invalidateOthers(user, code.enrollmentId, now);
      return active;
    });
  }
  if (await deps.devices.wasRevoked(user, command.publicKey)) throw await refusedCode(deps, command.sourceIp);
  return null;
}

/** Stores the device (replacing the user's current one where the code allows it) and announces it. */
async function enrollDevice(deps: EnrollmentDeps, activation: Activation): Promise<DeviceRecord> {
  const { command, code, user, now } = activation;
  // CONTRACT §4 (v2): only a code issued to replace (admin reset or proof) may replace a device. A plain code was issued
  // while the user had none, so a device active now came later: an old, unused code must not take its place.
  const mayReplace = code.replace || code.proofId !== null;
  if (!mayReplace && (await deps.devices.findActiveByUser(user)) !== null) {
    throw new EnrollmentError('device_already_enrolled', 'a device was activated after this code was issued');
  }
  const replaced = mayReplace ? await deps.devices.revoke(user, 'replaced', now) : null;
  const created: DeviceRecord = {
    ...user, deviceId: deps.newId(), publicKey: command.publicKey, platform: command.platform, pushToken: command.pushToken,
    deviceName: command.deviceName, appVersion: command.appVersion, enrolledAt: now, lastSeenAt: now,
  };
  try {
    await deps.devices.insert(created);
  } catch (error) {
    // Another activation for the same user won the race between revoke and insert.
    if (error instanceof DeviceConflict) throw new EnrollmentError('device_already_enrolled', 'another device was activated at the same moment');
    throw error;
  }
  await deps.codes.invalidateOthers(user, code.enrollmentId, now);
  await announceActivation(deps, { ...activation, created, replaced });
  return created;
}

async function announceActivation(deps: EnrollmentDeps, done: Activation & { created: DeviceRecord; replaced: DeviceRecord | null }): Promise<void> {
  const { user, code, created, replaced, now } = done;
  if (replaced) {
    await deps.events.emit('vigil.push.device-revoked', { ...user, deviceId: replaced.deviceId, reason: 'replaced', revokedAt: now.toISOString() });
  }
  await deps.events.emit('vigil.push.device-activated', {
    ...user, enrollmentId: code.enrollmentId, deviceId: created.deviceId, platform: created.platform, channel: channelOf(created),
    deviceName: created.deviceName, appVersion: created.appVersion, activatedAt: now.toISOString(), replacedDeviceId: replaced?.deviceId ?? null,
  });
}
