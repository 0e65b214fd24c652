import type { EnrollmentDeps } from './deps.ts';
import { changePushToken } from './push-token-change.ts';

/** A device's own token change (CONTRACT §4 PUT /v1/device/push-token); null switches it to poll mode. */
export interface UpdatePushToken {
  /** The device that signed the request. */
  deviceId: string;
  pushToken: string | null;
}

export async function updatePushToken(deps: EnrollmentDeps, command: UpdatePushToken): Promise<{ updated: boolean }> {
  const device = await deps.devices.findActiveById(command.deviceId);
  const updated = device !== null && (await changePushToken(deps, device, command.pushToken));
  // The device signed this request itself: it was seen now (GET factors shows lastSeenAt).
  await deps.devices.touch(command.deviceId, deps.now());
  return { updated };
}
