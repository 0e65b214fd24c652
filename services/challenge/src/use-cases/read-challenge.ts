import { draft } from '@vigil/events';
import type { Challenge } from '../domain/challenge.ts';
import { ChallengeError } from '../domain/challenge-error.ts';
import type { ChallengeDeps } from './deps.ts';

async function owned(deps: ChallengeDeps, tenantId: string, challengeId: string): Promise<Challenge> {
  const challenge = await deps.store.get(challengeId);
  // Another tenant's challenge is indistinguishable from a missing one (CONTRACT §2).
  if (challenge === null || challenge.tenantId !== tenantId) throw new ChallengeError('not_found', 'no such challenge');
  return challenge;
}

/** GET with long poll: returns as soon as the challenge leaves `pending`, or at the deadline. */
export async function readChallenge(deps: ChallengeDeps, tenantId: string, challengeId: string, waitMs: number): Promise<Challenge> {
  let challenge = await owned(deps, tenantId, challengeId);
  if (challenge.status !== 'pending' || waitMs <= 0) return challenge;
  // Wait no longer than the challenge can stay pending (the sweeper expires it shortly after expiresAt).
  const deadline = Math.min(waitMs, deps.settings.longPollMaxMs);
  const woken = deps.signal.wait(challengeId, deadline);
  // Read again after subscribing: a decision between the first read and the wait must not be missed.
  challenge = await owned(deps, tenantId, challengeId);
  if (challenge.status !== 'pending') return challenge;
  await woken;
  return owned(deps, tenantId, challengeId);
}

export async function cancelChallenge(deps: ChallengeDeps, tenantId: string, challengeId: string): Promise<void> {
  const challenge = await owned(deps, tenantId, challengeId);
  const now = deps.now();
  const user = { tenantId, userId: challenge.userId };
  const cancelled = await deps.store.decide(user, challenge.challengeId, 'cancelled', null, now, [
    draft('vigil.challenge.cancelled', { ...user, challengeId, cancelledAt: now.toISOString() }),
  ]);
  // Woken on a repeat too: the first try may have failed after the change (its events are published by now).
  if (cancelled && cancelled.challenge.status === 'cancelled') await deps.signal.notify(challengeId);
}
