import type { UserRef } from '@vigil/events';
import type { NotificationDeps } from './deps.ts';

/** The user whose factors enrollment tombstoned (none left). */
export type ForgetUserFactors = UserRef;

/** The user has no factor left: no device to push to any more. */
export async function forgetUserFactors(deps: NotificationDeps, command: ForgetUserFactors): Promise<void> {
  await deps.channels.forget({ tenantId: command.tenantId, userId: command.userId });
}
