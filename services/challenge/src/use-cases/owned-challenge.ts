import type { Challenge } from '../domain/challenge.ts';
import { ChallengeError } from '../domain/challenge-error.ts';
import type { ChallengeDeps } from './deps.ts';

export interface ChallengeRef {
  tenantId: string;
  challengeId: string;
}

/** The tenant's challenge; another tenant's is indistinguishable from a missing one (CONTRACT §2). */
export async function ownedChallenge(deps: Pick<ChallengeDeps, 'store'>, ref: ChallengeRef): Promise<Challenge> {
  const challenge = await deps.store.get(ref.challengeId);
  if (challenge === null || challenge.tenantId !== ref.tenantId) throw new ChallengeError('not_found', 'no such challenge');
  return challenge;
}
