import { channelOf } from '../domain/factors.ts';
import type { UserRef } from '../domain/ports.ts';
import type { EnrollmentDeps } from './deps.ts';

/** CONTRACT §4 GET factors. */
export async function getFactors(deps: EnrollmentDeps, user: UserRef) {
  const [device, totp, suspendedUntil] = await Promise.all([
    deps.devices.findActiveByUser(user),
    deps.totp.findCredential(user),
    deps.suspensions.get(user),
  ]);
  const now = deps.now();
  return {
    push: device && {
      deviceId: device.deviceId,
      platform: device.platform,
      deviceName: device.deviceName,
      channel: channelOf(device),
      enrolledAt: device.enrolledAt.toISOString(),
      lastSeenAt: (device.lastSeenAt ?? device.enrolledAt).toISOString(),
    },
    totp: totp && { confirmed: true, enrolledAt: totp.enrolledAt.toISOString() },
    pushSuspendedUntil: suspendedUntil && suspendedUntil > now ? suspendedUntil.toISOString() : null,
  };
}
