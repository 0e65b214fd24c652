import type { UserRef } from '@vigil/events';
import type { Challenge } from '../domain/challenge.ts';
import type { ChallengeDeps } from './deps.ts';

export interface Decision extends UserRef {
  challengeId: string;
  status: 'approved' | 'denied' | 'reported';
  reason: string | null;
  decidedAt: Date;
}

/**
 * A decision from vigil.verifications.v1; the first one wins, repeats change nothing. The store applies the outcome
 * (miss streak, cool-down, fraud suspension) in the same step as the decision, so a retry after a failure never
 * skips it or counts it twice; long polls are woken on every try, since waking twice costs nothing.
 */
export async function recordDecision(deps: ChallengeDeps, decision: Decision): Promise<Challenge | null> {
  const existing = await deps.store.get(decision.challengeId);
  if (existing === null || existing.tenantId !== decision.tenantId || existing.userId !== decision.userId) return null;
  const user = { tenantId: decision.tenantId, userId: decision.userId };
  const decided = await deps.store.decide(user, decision.challengeId, decision.status, decision.reason, decision.decidedAt, []);
  if (decided === null) return null;
  if (decided.challenge.status !== 'pending') await deps.signal.notify(decision.challengeId);
  return decided.changed ? decided.challenge : null;
}
