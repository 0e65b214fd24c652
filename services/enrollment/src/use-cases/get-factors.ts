import type { UserRef } from '@vigil/events';
import type { PushFactor } from '../domain/factor-types.ts';
import { channelOf } from '../domain/factors.ts';
import type { DeviceRecord } from '../domain/ports.ts';
import type { EnrollmentDeps } from './deps.ts';

export type GetFactors = UserRef;

/** CONTRACT §4 GET factors: what the user has, without keys, tokens or secrets. */
export interface UserFactors {
  push: {
    deviceId: string;
    platform: DeviceRecord['platform'];
    deviceName: string | null;
    channel: PushFactor['channel'];
    enrolledAt: string;
    lastSeenAt: string;
  } | null;
  totp: { confirmed: true; enrolledAt: string } | null;
  pushSuspendedUntil: string | null;
}

export async function getFactors(deps: EnrollmentDeps, command: GetFactors): Promise<UserFactors> {
  const user = { tenantId: command.tenantId, userId: command.userId };
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
