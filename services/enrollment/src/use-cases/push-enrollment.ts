import { sha256Hex } from '@vigil/crypto';
import { activationUri, newActivationCode } from '../domain/activation-code.ts';
import { EnrollmentError } from '../domain/enrollment-error.ts';
import { channelOf } from '../domain/factors.ts';
import { DeviceConflict, type DeviceRecord, type UserRef } from '../domain/ports.ts';
import { checkReplacement } from '../domain/replacement-policy.ts';
import type { EnrollmentDeps } from './deps.ts';
import { changeFactors } from './publish-factors.ts';

export interface StartPushEnrollment extends UserRef {
  replace: boolean;
  proofId: string | null;
}

export async function startPushEnrollment(deps: EnrollmentDeps, command: StartPushEnrollment) {
  const now = deps.now();
  const active = await deps.devices.findActiveByUser(command);
  const proofAt = active && !command.replace && command.proofId ? await deps.proofs.take(command, command.proofId) : null;
  checkReplacement({
    hasActiveDevice: active !== null,
    replace: command.replace,
    proofAt,
    proofIdGiven: command.proofId !== null,
    now,
    proofMaxAgeMs: deps.settings.proofMaxAgeMs,
  });
  const code = newActivationCode();
  const enrollmentId = deps.newId();
  const expiresAt = new Date(now.getTime() + deps.settings.activationCodeTtlMs);
  // Only a proof that was checked (and spent) here gives the code the right to replace a device (CONTRACT §4 v2):
  // one named while the user had no device was never checked, so the code is a plain one.
  const proofId = proofAt === null ? null : command.proofId;
  await deps.codes.insert(sha256Hex(code), { tenantId: command.tenantId, userId: command.userId, enrollmentId, expiresAt, replace: command.replace, proofId });
  await deps.events.emit('vigil.push.enrollment-started', {
    tenantId: command.tenantId, userId: command.userId, enrollmentId, expiresAt: expiresAt.toISOString(), replace: command.replace, proofId,
  });
  return { enrollmentId, activationCode: code, activationUri: activationUri(code, deps.settings.enrollmentBaseUrl), expiresAt: expiresAt.toISOString() };
}

export interface ActivateDevice {
  activationCode: string;
  publicKey: string;
  platform: DeviceRecord['platform'];
  pushToken: string | null;
  deviceName: string | null;
  appVersion: string | null;
  sourceIp: string;
}

export async function activateDevice(deps: EnrollmentDeps, command: ActivateDevice) {
  const blockedForMs = await deps.throttle.blockedForMs(command.sourceIp);
  if (blockedForMs !== null) throw new EnrollmentError('throttled', 'too many failed activations from this address', blockedForMs);
  const now = deps.now();
  const pending = await deps.codes.consume(sha256Hex(command.activationCode), now, command.publicKey);
  const invalid = async () => {
    await deps.throttle.recordFailure(command.sourceIp);
    // One answer for unknown, used and expired codes: the caller learns nothing about which codes exist.
    return new EnrollmentError('activation_code_invalid', 'the activation code is unknown, used or expired');
  };
  if (pending === null) throw await invalid();
  const user = { tenantId: pending.tenantId, userId: pending.userId };
  const answer = (device: DeviceRecord) => ({
    deviceId: device.deviceId, tenantId: user.tenantId, userId: user.userId, serverPublicKey: deps.serverKey.publicKey, serverKeyId: deps.serverKey.keyId,
  });
  if (pending.repeat) {
    // The same device repeating an activation that answered 503 (stored, not yet visible everywhere): publish again
    // and answer as the first time would have. A device revoked or replaced since gets the used-code answer.
    const active = await deps.devices.findActiveByUser(user);
    if (active !== null && active.publicKey === command.publicKey) {
      return answer(await changeFactors(deps, user, async () => {
        // The first try may have died before it spent the user's other codes.
        await deps.codes.invalidateOthers(user, pending.enrollmentId, now);
        return active;
      }));
    }
    // Not active: revoked or replaced since (the code is spent), or the first try died before the device was stored
    // (it activates now).
    if (await deps.devices.wasRevoked(user, command.publicKey)) throw await invalid();
  }
  // CONTRACT §4 (v2): only a code issued to replace (admin reset or proof) may replace a device. A plain code was issued
  // while the user had none, so a device active now came later: an old, unused code must not take its place.
  const mayReplace = pending.replace || pending.proofId !== null;
  const device = await changeFactors(deps, user, async () => {
    if (!mayReplace && (await deps.devices.findActiveByUser(user)) !== null) {
      throw new EnrollmentError('device_already_enrolled', 'a device was activated after this code was issued');
    }
    const replaced = mayReplace ? await deps.devices.revoke(user, 'replaced', now) : null;
    const created: DeviceRecord = {
      ...user,
      deviceId: deps.newId(),
      publicKey: command.publicKey,
      platform: command.platform,
      pushToken: command.pushToken,
      deviceName: command.deviceName,
      appVersion: command.appVersion,
      enrolledAt: now,
      lastSeenAt: now,
    };
    try {
      await deps.devices.insert(created);
    } catch (error) {
      // Another activation for the same user won the race between revoke and insert.
      if (error instanceof DeviceConflict) throw new EnrollmentError('device_already_enrolled', 'another device was activated at the same moment');
      throw error;
    }
    await deps.codes.invalidateOthers(user, pending.enrollmentId, now);
    if (replaced) {
      await deps.events.emit('vigil.push.device-revoked', { ...user, deviceId: replaced.deviceId, reason: 'replaced', revokedAt: now.toISOString() });
    }
    await deps.events.emit('vigil.push.device-activated', {
      ...user, enrollmentId: pending.enrollmentId, deviceId: created.deviceId, platform: created.platform, channel: channelOf(created),
      deviceName: created.deviceName, appVersion: created.appVersion, activatedAt: now.toISOString(), replacedDeviceId: replaced?.deviceId ?? null,
    });
    return created;
  });
  return answer(device);
}

/**
 * Revokes the active device. A repeat after a failure (503) finds nothing to revoke but still publishes the user's
 * factors and waits for the readers: it answers success only once the revocation holds everywhere.
 */
export async function revokePushDevice(deps: EnrollmentDeps, user: UserRef & { deviceId?: string }, reason: 'admin' | 'self'): Promise<boolean> {
  const now = deps.now();
  const ref = { tenantId: user.tenantId, userId: user.userId };
  return changeFactors(deps, ref, async () => {
    const revoked = await deps.devices.revoke(user, reason, now);
    if (revoked === null) return false;
    await deps.events.emit('vigil.push.device-revoked', { ...ref, deviceId: revoked.deviceId, reason, revokedAt: now.toISOString() });
    return true;
  });
}

/** The device's own token change; also the enrollment side of vigil.notification.token-invalid (token → null). */
export async function updatePushToken(deps: EnrollmentDeps, deviceId: string, pushToken: string | null): Promise<boolean> {
  const known = await deps.devices.findActiveById(deviceId);
  if (known === null) return false;
  const user = { tenantId: known.tenantId, userId: known.userId };
  return changeFactors(deps, user, async () => {
    const device = await deps.devices.updatePushToken(deviceId, pushToken);
    if (device === null) return false;
    await deps.events.emit('vigil.push.token-updated', { ...user, deviceId, channel: channelOf(device), updatedAt: deps.now().toISOString() });
    return true;
  });
}
