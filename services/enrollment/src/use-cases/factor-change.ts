import type { UserRef } from '@vigil/events';
import { factorsSnapshot } from '../domain/factors.ts';
import type { EnrollmentDeps } from './deps.ts';

/** Reads the user's current factors and publishes them (or a tombstone) on vigil.factors.v1. */
export async function publishFactors(deps: EnrollmentDeps, user: UserRef): Promise<void> {
  // Version first, state second: of two concurrent changes, the one that reads later also carries the higher
  // version, so projections that keep the highest version keep the newest state.
  const version = await deps.factorVersions.next(user);
  const [device, totp] = await Promise.all([deps.devices.findActiveByUser(user), deps.totp.findCredential(user)]);
  await deps.factors.publish(factorsSnapshot({ user, device, totp, version, at: deps.now() }), user);
}

/**
 * A change of the user's factors, announced (CONTRACT §2, §8; ADR 0012): marked before it is made, published after,
 * settled once every reader has it. If the process dies or Kafka fails in between, the mark stays and the repair sweep
 * (`republishUnsettledFactors`) publishes the current snapshot later; a repeat by the caller publishes again and
 * converges.
 */
export async function changeFactors<T>(deps: EnrollmentDeps, user: UserRef, change: () => Promise<T>): Promise<T> {
  const mark = await deps.factorVersions.changing(user);
  const result = await change();
  await publishFactors(deps, user);
  await deps.factorVersions.settled(user, mark);
  return result;
}
