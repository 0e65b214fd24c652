import type { DeviceRecord, TotpCredential, UserRef } from './ports.ts';
import type { FactorsSnapshot } from './factor-types.ts';

/** The snapshot other services project (verification: keys and secrets; notification: channel and token). */
export function factorsSnapshot(user: UserRef, device: DeviceRecord | null, totp: TotpCredential | null, version: number, now: Date): FactorsSnapshot | null {
  if (device === null && totp === null) return null;
  return {
    tenantId: user.tenantId,
    userId: user.userId,
    version,
    updatedAt: now.toISOString(),
    push: device && {
      deviceId: device.deviceId,
      publicKey: device.publicKey,
      platform: device.platform,
      channel: channelOf(device),
      pushToken: device.pushToken,
      deviceName: device.deviceName,
      enrolledAt: device.enrolledAt.toISOString(),
    },
    totp: totp && { secret: totp.secret, enrolledAt: totp.enrolledAt.toISOString(), ...(totp.spentStep === undefined ? {} : { spentStep: totp.spentStep }) },
  };
}

/** A device without a push token is reached by polling (CONTRACT §4: `pushToken: null` = poll mode). */
export function channelOf(device: Pick<DeviceRecord, 'pushToken'>): 'fcm' | 'poll' {
  return device.pushToken === null ? 'poll' : 'fcm';
}
