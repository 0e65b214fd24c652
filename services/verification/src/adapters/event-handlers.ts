import type { EventHandler, TombstoneHandler } from '@vigil/kafka';
import type { VerificationDeps } from '../use-cases/deps.ts';
import { forgetFactors, projectChallenge, projectFactors } from '../use-cases/project-events.ts';

export function verificationEventHandler(deps: VerificationDeps): EventHandler {
  return async (event) => {
    switch (event.type) {
      case 'vigil.challenge.created':
        return projectChallenge(deps, event.data);
      case 'vigil.challenge.expired':
        return deps.challenges.markEnded(event.data.challengeId, 'expired');
      case 'vigil.challenge.cancelled':
        return deps.challenges.markEnded(event.data.challengeId, 'cancelled');
      case 'vigil.factors.snapshot':
        return projectFactors(deps, event.data);
      default:
        return;
    }
  };
}

export function factorTombstoneHandler(deps: VerificationDeps): TombstoneHandler {
  return async (key) => {
    const at = key.indexOf(':');
    if (at > 0) await forgetFactors(deps, { tenantId: key.slice(0, at), userId: key.slice(at + 1) });
  };
}
