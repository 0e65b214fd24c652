import { factorsSnapshot } from '../domain/factors.ts';
import type { UserRef } from '../domain/ports.ts';
import type { EnrollmentDeps } from './deps.ts';

/** Reads the user's current factors and publishes them (or a tombstone) on vigil.factors.v1. */
export async function publishFactors(deps: EnrollmentDeps, user: UserRef): Promise<void> {
  // Version first, state second: of two concurrent changes, the one that reads later also carries the higher
  // version, so projections that keep the highest version keep the newest state.
  const version = await deps.factorVersions.next(user);
  const [device, totp] = await Promise.all([deps.devices.findActiveByUser(user), deps.totp.findCredential(user)]);
  await deps.factors.publish(factorsSnapshot(user, device, totp, version, deps.now()), user);
}
