import type { UserRef } from '@vigil/events';
import type { EnrollmentDeps } from './deps.ts';
import { changeFactors } from './factor-change.ts';

/** Who revokes: an admin revokes whatever device the user has; a device unenrolls itself only (never a newer one). */
export type RevokePushDevice = UserRef & ({ by: 'admin' } | { by: 'self'; deviceId: string });

export interface PushDeviceRevoked {
  /** False when there was nothing (left) to revoke: a repeat after a 503, or a device already replaced. */
  revoked: boolean;
}

/**
 * Revokes the active device. A repeat after a failure (503) finds nothing to revoke but still publishes the user's
 * factors and waits for the readers: it answers success only once the revocation holds everywhere.
 */
export async function revokePushDevice(deps: EnrollmentDeps, command: RevokePushDevice): Promise<PushDeviceRevoked> {
  const now = deps.now();
  const user = { tenantId: command.tenantId, userId: command.userId };
  const match = command.by === 'self' ? { ...user, deviceId: command.deviceId } : user;
  return changeFactors(deps, user, async () => {
    const revoked = await deps.devices.revoke(match, command.by, now);
    if (revoked === null) return { revoked: false };
    await deps.events.emit('vigil.push.device-revoked', { ...user, deviceId: revoked.deviceId, reason: command.by, revokedAt: now.toISOString() });
    return { revoked: true };
  });
}
