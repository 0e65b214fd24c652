import { EnrollmentError } from '../domain/enrollment-error.ts';
import type { UserRef } from '../domain/ports.ts';
import { matchTotp, newTotpSecret, otpauthUri, toBase32 } from '@vigil/crypto';
import type { EnrollmentDeps } from './deps.ts';
import { changeFactors } from './publish-factors.ts';

// The secret is bound to its owner: a sealed secret copied to another user's record does not open.
const owner = (user: UserRef) => `${user.tenantId}:${user.userId}`;

export async function startTotpEnrollment(deps: EnrollmentDeps, command: UserRef & { issuer?: string; accountName?: string }) {
  const secret = newTotpSecret();
  const enrollmentId = deps.newId();
  const expiresAt = new Date(deps.now().getTime() + deps.settings.totpEnrollmentTtlMs);
  await deps.totp.insertPending({ tenantId: command.tenantId, userId: command.userId, enrollmentId, expiresAt, secret: deps.secretBox.seal(secret, owner(command)) });
  return {
    enrollmentId,
    secret: toBase32(secret),
    otpauthUri: otpauthUri(secret, command.issuer ?? deps.settings.totpIssuer, command.accountName ?? command.userId),
    expiresAt: expiresAt.toISOString(),
  };
}

/** Activates a pending TOTP enrollment with a valid code; only then does it replace an earlier secret. */
export async function confirmTotpEnrollment(deps: EnrollmentDeps, command: UserRef & { enrollmentId: string; code: string }) {
  const now = deps.now();
  const pending = await deps.totp.findPending(command, command.enrollmentId);
  const user = { tenantId: command.tenantId, userId: command.userId };
  if (pending === null) {
    // A repeat of a confirm that answered 503 (stored, not yet visible everywhere): publish again and answer 200.
    const confirmed = await deps.totp.findCredential(user);
    const secret = confirmed?.enrollmentId === command.enrollmentId ? deps.secretBox.open(confirmed.secret, owner(command)) : null;
    if (secret === null || matchTotp(secret, command.code, now) === null) throw new EnrollmentError('not_found', 'no pending TOTP enrollment with this id');
    await changeFactors(deps, user, async () => undefined);
    return { confirmed: true as const };
  }
  if (pending.expiresAt <= now) throw new EnrollmentError('not_found', 'no pending TOTP enrollment with this id');
  const secret = deps.secretBox.open(pending.secret, owner(command));
  const step = secret === null ? null : matchTotp(secret, command.code, now);
  if (step === null) throw new EnrollmentError('invalid_code', 'the code does not match');
  await changeFactors(deps, user, async () => {
    // The confirming code is spent: verification will not accept it again (CONTRACT §4 v2).
    await deps.totp.saveCredential({ ...user, secret: pending.secret, enrolledAt: now, enrollmentId: command.enrollmentId, spentStep: step });
    await deps.totp.deletePending(command, command.enrollmentId);
    await deps.events.emit('vigil.totp.enrolled', { ...user, enrollmentId: command.enrollmentId, enrolledAt: now.toISOString() });
  });
  return { confirmed: true as const };
}

/** Removes the TOTP credential; like a revocation, a repeat publishes again and answers once every reader has it. */
export async function removeTotp(deps: EnrollmentDeps, user: UserRef): Promise<void> {
  await changeFactors(deps, user, async () => {
    if (!(await deps.totp.removeCredential(user))) return;
    await deps.events.emit('vigil.totp.removed', { ...user, removedAt: deps.now().toISOString() });
  });
}
