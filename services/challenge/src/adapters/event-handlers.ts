import type { EventHandler, TombstoneHandler } from '@vigil/kafka';
import type { ChallengeDeps } from '../use-cases/deps.ts';
import { recordDecision } from '../use-cases/record-decision.ts';

function userOfKey(key: string): { tenantId: string; userId: string } | null {
  const at = key.indexOf(':');
  return at > 0 ? { tenantId: key.slice(0, at), userId: key.slice(at + 1) } : null;
}

/** What the challenge service learns from Kafka: devices, decisions, TOTP successes and suspensions. */
export function challengeEventHandler(deps: ChallengeDeps): EventHandler {
  return async (event) => {
    switch (event.type) {
      case 'vigil.factors.snapshot':
        return deps.devices.apply(event.data, event.data.push?.deviceId ?? null, event.data.version);
      case 'vigil.challenge.approved':
        return void (await recordDecision(deps, { ...event.data, status: 'approved', reason: null, decidedAt: new Date(event.data.decidedAt) }));
      case 'vigil.challenge.denied':
        return void (await recordDecision(deps, { ...event.data, status: 'denied', reason: event.data.reason, decidedAt: new Date(event.data.decidedAt) }));
      case 'vigil.challenge.reported':
        return void (await recordDecision(deps, { ...event.data, status: 'reported', reason: null, decidedAt: new Date(event.data.decidedAt) }));
      case 'vigil.totp.verified':
        // A valid TOTP shows the user is present: the miss streak starts over (CONTRACT §5).
        return deps.risk.resetMisses(event.data);
      case 'vigil.user.push-suspended':
        return deps.risk.suspend(event.data, new Date(event.data.until));
      case 'vigil.user.push-restored':
        return deps.risk.restore(event.data);
      default:
        return;
    }
  };
}

/** A tombstone on vigil.factors.v1: the user has no factor left. */
export function factorTombstoneHandler(deps: ChallengeDeps): TombstoneHandler {
  return async (key) => {
    const user = userOfKey(key);
    if (user) await deps.devices.apply(user, null, -1);
  };
}
