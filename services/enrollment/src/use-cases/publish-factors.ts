import { factorsSnapshot } from '../domain/factors.ts';
import type { UserRef } from '../domain/ports.ts';
import type { EnrollmentDeps } from './deps.ts';

/** Reads the user's current factors and publishes them (or a tombstone) on vigil.factors.v1. */
export async function publishFactors(deps: EnrollmentDeps, user: UserRef): Promise<void> {
  const [device, totp] = await Promise.all([deps.devices.findActiveByUser(user), deps.totp.findCredential(user)]);
  const version = await deps.factorVersions.next(user);
  await deps.factors.publish(factorsSnapshot(user, device, totp, version, deps.now()), user);
}
