import type { EventHandler, TombstoneHandler } from '@vigil/kafka';
import type { NotificationDeps } from '../use-cases/deps.ts';
import { applyFactorsSnapshot } from '../use-cases/apply-factors-snapshot.ts';
import { dispatchPush } from '../use-cases/dispatch-push.ts';
import { forgetUserFactors } from '../use-cases/forget-user-factors.ts';

/** New challenges (a push each) and the factors snapshots that say where to push. */
export function notificationEventHandler(deps: NotificationDeps): EventHandler {
  return async (event, context) => {
    if (event.type === 'vigil.factors.snapshot') {
      await applyFactorsSnapshot(deps, event.data);
      return;
    }
    if (event.type === 'vigil.challenge.created') {
      const outcome = await dispatchPush(deps, event.data);
      context.log.debug({ challengeId: event.data.challengeId, outcome }, 'push dispatch');
    }
  };
}

/** A tombstone on the compacted factors topic, keyed `tenantId:userId` (libs/events `eventKey`). */
export function factorTombstoneHandler(deps: NotificationDeps): TombstoneHandler {
  return async (key) => {
    const at = key.indexOf(':');
    if (at > 0) await forgetUserFactors(deps, { tenantId: key.slice(0, at), userId: key.slice(at + 1) });
  };
}
