import { matchTotp } from '@vigil/crypto';
import type { UserRef } from '@vigil/events';
import { EnrollmentError } from '../domain/enrollment-error.ts';
import { secretOwner } from '../domain/secret-owner.ts';
import type { EnrollmentDeps } from './deps.ts';
import { changeFactors } from './factor-change.ts';

export interface ConfirmTotpEnrollment extends UserRef {
  enrollmentId: string;
  /** A current code from the pending secret. */
  code: string;
}

export interface TotpEnrollmentConfirmed {
  confirmed: true;
}

const unknownEnrollment = () => new EnrollmentError('not_found', 'no pending TOTP enrollment with this id');

/** Activates a pending TOTP enrollment with a valid code; only then does it replace an earlier secret. */
export async function confirmTotpEnrollment(deps: EnrollmentDeps, command: ConfirmTotpEnrollment): Promise<TotpEnrollmentConfirmed> {
  const now = deps.now();
  const user = { tenantId: command.tenantId, userId: command.userId };
  const pending = await deps.totp.findPending(user, command.enrollmentId);
  if (pending === null) return repeatedConfirm(deps, command);
  if (pending.expiresAt <= now) throw unknownEnrollment();
  const secret = deps.secretBox.open(pending.secret, secretOwner(user));
  const step = secret === null ? null : matchTotp(secret, command.code, now);
  if (step === null) throw new EnrollmentError('invalid_code', 'the code does not match');
  await changeFactors(deps, user, async () => {
    // The confirming code is spent: verification will not accept it again (CONTRACT §4 v2).
    await deps.totp.saveCredential({ ...user, secret: pending.secret, enrolledAt: now, enrollmentId: command.enrollmentId, spentStep: step });
    await deps.totp.deletePending(user, command.enrollmentId);
    await deps.events.emit('vigil.totp.enrolled', { ...user, enrollmentId: command.enrollmentId, enrolledAt: now.toISOString() });
  });
  return { confirmed: true };
}

/**
 * A repeat of a confirm that answered 503 (stored, not yet visible everywhere): with a valid code of the secret that
 * enrollment confirmed, publish again and answer as the first time; anything else is an unknown enrollment.
 */
async function repeatedConfirm(deps: EnrollmentDeps, command: ConfirmTotpEnrollment): Promise<TotpEnrollmentConfirmed> {
  const user = { tenantId: command.tenantId, userId: command.userId };
  const confirmed = await deps.totp.findCredential(user);
  const secret = confirmed?.enrollmentId === command.enrollmentId ? deps.secretBox.open(confirmed.secret, secretOwner(user)) : null;
  if (secret === null || matchTotp(secret, command.code, deps.now()) === null) throw unknownEnrollment();
  await changeFactors(deps, user, async () => undefined);
  return { confirmed: true };
}
