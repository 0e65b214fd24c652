import type { Challenge } from '../domain/challenge.ts';
import type { ChallengeDeps } from './deps.ts';
import { ownedChallenge, type ChallengeRef } from './owned-challenge.ts';

export interface ReadChallenge extends ChallengeRef {
  /** How long to wait for a decision (long poll); 0 answers at once. The route's WaitSeconds bounds it (CONTRACT §5). */
  waitMs: number;
}

/** GET with long poll: returns as soon as the challenge leaves `pending`, or at the deadline. */
export async function readChallenge(deps: ChallengeDeps, command: ReadChallenge): Promise<Challenge> {
  let challenge = await ownedChallenge(deps, command);
  if (challenge.status !== 'pending' || command.waitMs <= 0) return challenge;
  const woken = deps.signal.wait(command.challengeId, command.waitMs);
  // Read again after subscribing: a decision between the first read and the wait must not be missed.
  challenge = await ownedChallenge(deps, command);
  if (challenge.status !== 'pending') return challenge;
  await woken;
  return ownedChallenge(deps, command);
}
