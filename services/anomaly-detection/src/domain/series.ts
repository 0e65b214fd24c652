// What the rules count. Each event adds one entry to a series of its user (or, across users, of its source address);
// entries are unique per event, so a redelivered event counts once.

/** A user's series: every push (throttled too), the misses before an approval, denials and expiries, rejections. */
export type UserSeries = 'pushes' | 'fatigue' | 'misses' | 'rejections';

/** One event of a user's series: which challenge and source address it involved, and when. */
export interface SeriesEntry {
  eventId: string;
  challengeId: string | null;
  ip: string | null;
  atMs: number;
}

/** One sign-in (a created challenge) of some user from a source address, for the rules across users. */
export interface IpSignIn {
  userId: string;
  challengeId: string | null;
  ip: string;
  atMs: number;
}

/** What an alert reports of each event a rule counted. */
export type Counted = Pick<SeriesEntry, 'challengeId' | 'ip' | 'atMs'>;

const distinct = (values: readonly (string | null)[]): string[] => [...new Set(values.filter((value): value is string => Boolean(value)))];

export const challengeIdsOf = (entries: readonly Counted[]): string[] => distinct(entries.map((entry) => entry.challengeId));

export const ipsOf = (entries: readonly Counted[]): string[] => distinct(entries.map((entry) => entry.ip));

/** The entries within the window (atMs - windowMs, atMs], in their order. */
export function within<T extends Counted>(entries: readonly T[], atMs: number, windowMs: number): T[] {
  return entries.filter((entry) => entry.atMs > atMs - windowMs && entry.atMs <= atMs);
}

/**
 * Misses before an approval: a quiet challenge that then expired is in the series twice but is one miss, so count
 * challenges; throttled pushes have no challenge and each counts once.
 */
export function distinctMisses(entries: readonly Counted[]): number {
  const withChallenge = entries.filter((entry) => entry.challengeId);
  return challengeIdsOf(withChallenge).length + (entries.length - withChallenge.length);
}
