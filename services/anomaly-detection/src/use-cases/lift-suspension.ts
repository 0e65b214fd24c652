import type { UserRef } from '@vigil/events';
import type { AnomalyDeps } from './deps.ts';

export type LiftSuspension = UserRef;

export interface LiftedSuspension {
  restoredAt: string;
}

/**
 * Admin lift (CONTRACT §7): the challenge service lifts suspension and cool-down when it sees push-restored. Nothing is
 * stored first, so a failed publish leaves nothing behind: it propagates (503 for an outage) and the admin repeats.
 */
export async function liftSuspension(deps: Pick<AnomalyDeps, 'events' | 'now'>, command: LiftSuspension): Promise<LiftedSuspension> {
  const restoredAt = deps.now().toISOString();
  await deps.events.emit('vigil.user.push-restored', { tenantId: command.tenantId, userId: command.userId, restoredAt, by: 'admin' });
  return { restoredAt };
}
