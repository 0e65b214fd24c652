import { channelOf } from '../domain/factors.ts';
import type { DeviceRecord } from '../domain/ports.ts';
import type { EnrollmentDeps } from './deps.ts';
import { changeFactors } from './factor-change.ts';

/**
 * Sets the device's push token (null: poll mode) as a factor change, announced like any other. False when the device
 * is no longer active (revoked or replaced meanwhile).
 */
export async function changePushToken(deps: EnrollmentDeps, device: DeviceRecord, pushToken: string | null): Promise<boolean> {
  const user = { tenantId: device.tenantId, userId: device.userId };
  return changeFactors(deps, user, async () => {
    const updated = await deps.devices.updatePushToken(device.deviceId, pushToken);
    if (updated === null) return false;
    await deps.events.emit('vigil.push.token-updated', { ...user, deviceId: device.deviceId, channel: channelOf(updated), updatedAt: deps.now().toISOString() });
    return true;
  });
}
