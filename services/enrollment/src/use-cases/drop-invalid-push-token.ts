import type { EventData } from '@vigil/events';
import type { EnrollmentDeps } from './deps.ts';
import { changePushToken } from './push-token-change.ts';

/** What notification reported: FCM called the device's token dead (vigil.notification.token-invalid). */
export type DropInvalidPushToken = Pick<EventData<'vigil.notification.token-invalid'>, 'tenantId' | 'deviceId'>;

/** The enrollment side of a dead push token: the device switches to poll mode (token → null). */
export async function dropInvalidPushToken(deps: EnrollmentDeps, command: DropInvalidPushToken): Promise<{ switchedToPoll: boolean }> {
  const device = await deps.devices.findActiveById(command.deviceId);
  // Only the device the failed token belonged to, and only while it still has a token.
  if (device === null || device.tenantId !== command.tenantId || device.pushToken === null) return { switchedToPoll: false };
  return { switchedToPoll: await changePushToken(deps, device, null) };
}
