import type { UserRef } from '@vigil/events';
import type { EnrollmentDeps } from './deps.ts';

export interface RecordPushSuspension extends UserRef {
  /** Until when anomaly detection suspended the user's pushes; null once they are restored. */
  until: Date | null;
}

/** Anomaly detection's suspensions, kept only to show them in GET factors (`pushSuspendedUntil`). */
export async function recordPushSuspension(deps: EnrollmentDeps, command: RecordPushSuspension): Promise<void> {
  await deps.suspensions.set({ tenantId: command.tenantId, userId: command.userId }, command.until);
}
