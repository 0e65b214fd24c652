import { timingSafeEqual } from 'node:crypto';

/** The typed number against the one the login page showed, in constant time. */
export function numberMatches(expected: string, typed: string | undefined): boolean {
  if (typed === undefined) return false;
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(typed, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
