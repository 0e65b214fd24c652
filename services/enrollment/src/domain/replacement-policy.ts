import { EnrollmentError } from './enrollment-error.ts';

export interface ReplacementRequest {
  hasActiveDevice: boolean;
  replace: boolean;
  /** When the named proof happened (a push approval or TOTP success of the same user), if it exists. */
  proofAt: Date | null;
  proofIdGiven: boolean;
  now: Date;
  proofMaxAgeMs: number;
}

/**
 * CONTRACT §4, one device per user: a second enrollment needs an admin `replace` or a fresh proof that the user
 * controls an existing factor. Without it, a stolen password plus a helpdesk-style "enroll my new phone" would give an
 * attacker a device of their own.
 */
export function checkReplacement(request: ReplacementRequest): void {
  if (!request.hasActiveDevice || request.replace) return;
  if (request.proofAt !== null && request.now.getTime() - request.proofAt.getTime() <= request.proofMaxAgeMs) return;
  const why = request.proofIdGiven ? 'the proof is unknown, used, of another user or older than allowed' : 'replace or a proofId is required';
  throw new EnrollmentError('device_already_enrolled', `the user already has a push device; ${why}`);
}
