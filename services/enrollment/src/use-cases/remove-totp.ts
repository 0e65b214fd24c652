import type { UserRef } from '@vigil/events';
import type { EnrollmentDeps } from './deps.ts';
import { changeFactors } from './factor-change.ts';

export type RemoveTotp = UserRef;

/** Removes the TOTP credential; like a revocation, a repeat publishes again and answers once every reader has it. */
export async function removeTotp(deps: EnrollmentDeps, command: RemoveTotp): Promise<{ removed: boolean }> {
  const user = { tenantId: command.tenantId, userId: command.userId };
  return changeFactors(deps, user, async () => {
    if (!(await deps.totp.removeCredential(user))) return { removed: false };
    await deps.events.emit('vigil.totp.removed', { ...user, removedAt: deps.now().toISOString() });
    return { removed: true };
  });
}
