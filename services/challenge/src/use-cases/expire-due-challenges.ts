import type { ChallengeDeps } from './deps.ts';

/**
 * Expires the challenges that are due, at most `limit` per call, and wakes their long polls. Run by every instance:
 * the store hands each due challenge to exactly one caller. Returns how many expired.
 */
export async function expireDueChallenges(deps: Pick<ChallengeDeps, 'store' | 'signal' | 'now'>, limit = 200): Promise<number> {
  const expired = await deps.store.takeExpired(deps.now(), limit);
  await Promise.all(expired.map((challengeId) => deps.signal.notify(challengeId)));
  return expired.length;
}
