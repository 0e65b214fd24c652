import type { UserRef } from '@vigil/events';
import type { FactorsSnapshot, PushFactor } from './factor-types.ts';
import type { DeviceRecord, TotpCredential } from './ports.ts';

export interface FactorsState {
  user: UserRef;
  device: DeviceRecord | null;
  totp: TotpCredential | null;
  version: number;
  at: Date;
}

/** The snapshot other services project (verification: keys and secrets; notification: channel and token). */
export function factorsSnapshot(state: FactorsState): FactorsSnapshot | null {
  const { user, device, totp } = state;
  if (device === null && totp === null) return null;
  return {
    tenantId: user.tenantId,
    userId: user.userId,
    version: state.version,
    updatedAt: state.at.toISOString(),
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
export function channelOf(device: Pick<DeviceRecord, 'pushToken'>): PushFactor['channel'] {
  return device.pushToken === null ? 'poll' : 'fcm';
}
