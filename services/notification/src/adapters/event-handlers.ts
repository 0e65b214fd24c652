import type { EventHandler, TombstoneHandler } from '@vigil/kafka';
import type { NotificationDeps } from '../use-cases/dispatch-push.ts';
import { dispatchPush } from '../use-cases/dispatch-push.ts';

export function notificationEventHandler(deps: NotificationDeps): EventHandler {
  return async (event, context) => {
    if (event.type === 'vigil.factors.snapshot') {
      const push = event.data.push;
      await deps.channels.apply(event.data, push && { deviceId: push.deviceId, channel: push.channel, pushToken: push.pushToken }, event.data.version);
      return;
    }
    if (event.type === 'vigil.challenge.created') {
      const outcome = await dispatchPush(deps, event.data);
      context.log.debug({ challengeId: event.data.challengeId, outcome }, 'push dispatch');
    }
  };
}

export function factorTombstoneHandler(deps: NotificationDeps): TombstoneHandler {
  return async (key) => {
    const at = key.indexOf(':');
    if (at > 0) await deps.channels.apply({ tenantId: key.slice(0, at), userId: key.slice(at + 1) }, null, -1);
  };
}
