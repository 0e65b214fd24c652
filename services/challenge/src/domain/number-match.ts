import { randomInt } from 'node:crypto';

/**
 * The number the login page shows and the user types on the phone (CISA number matching). From a CSPRNG: a
 * predictable number would let an attacker pre-fill it in a fatigue attack.
 */
export function newNumberMatch(digits: number): string {
  return String(randomInt(0, 10 ** digits)).padStart(digits, '0');
}
