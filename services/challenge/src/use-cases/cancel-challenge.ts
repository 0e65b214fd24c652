import { draft } from '@vigil/events';
import type { ChallengeDeps } from './deps.ts';
import { ownedChallenge, type ChallengeRef } from './owned-challenge.ts';

export type CancelChallenge = ChallengeRef;

/** The login system gave up on the sign-in (CONTRACT §5): a pending challenge ends `cancelled`; a decided one stays. */
export async function cancelChallenge(deps: ChallengeDeps, command: CancelChallenge): Promise<void> {
  const challenge = await ownedChallenge(deps, command);
  const now = deps.now();
  const user = { tenantId: command.tenantId, userId: challenge.userId };
  const cancelled = await deps.store.decide(user, challenge.challengeId, 'cancelled', null, now, [
    draft('vigil.challenge.cancelled', { ...user, challengeId: command.challengeId, cancelledAt: now.toISOString() }),
  ]);
  // Woken on a repeat too: the first try may have failed after the change (its events are published by now).
  if (cancelled && cancelled.challenge.status === 'cancelled') await deps.signal.notify(command.challengeId);
}
