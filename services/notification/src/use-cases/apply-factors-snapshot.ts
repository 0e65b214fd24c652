import type { EventData } from '@vigil/events';
import type { NotificationDeps } from './deps.ts';

/** The user's current factors, as enrollment published them on vigil.factors.v1. */
export type ApplyFactorsSnapshot = EventData<'vigil.factors.snapshot'>;

/** Keeps how the user's device is reached (channel and token); an older snapshot than the one kept changes nothing. */
export async function applyFactorsSnapshot(deps: NotificationDeps, command: ApplyFactorsSnapshot): Promise<void> {
  const { push } = command;
  const user = { tenantId: command.tenantId, userId: command.userId };
  await deps.channels.apply(user, push && { deviceId: push.deviceId, channel: push.channel, pushToken: push.pushToken }, command.version);
}
