import { newTotpSecret, otpauthUri, toBase32 } from '@vigil/crypto';
import type { UserRef } from '@vigil/events';
import { secretOwner } from '../domain/secret-owner.ts';
import type { EnrollmentDeps } from './deps.ts';

export interface StartTotpEnrollment extends UserRef {
  /** Shown by the authenticator app; TOTP_ISSUER when absent. */
  issuer?: string;
  /** The account label in the app; the user id when absent. */
  accountName?: string;
}

export interface TotpEnrollmentStarted {
  enrollmentId: string;
  secret: string;
  otpauthUri: string;
  expiresAt: string;
}

/** CONTRACT §4: a new secret, pending until a code from it confirms it (an earlier secret stays valid until then). */
export async function startTotpEnrollment(deps: EnrollmentDeps, command: StartTotpEnrollment): Promise<TotpEnrollmentStarted> {
  const user = { tenantId: command.tenantId, userId: command.userId };
  const secret = newTotpSecret();
  const enrollmentId = deps.newId();
  const expiresAt = new Date(deps.now().getTime() + deps.settings.totpEnrollmentTtlMs);
  await deps.totp.insertPending({ ...user, enrollmentId, expiresAt, secret: deps.secretBox.seal(secret, secretOwner(user)) });
  return {
    enrollmentId,
    secret: toBase32(secret),
    otpauthUri: otpauthUri(secret, command.issuer ?? deps.settings.totpIssuer, command.accountName ?? command.userId),
    expiresAt: expiresAt.toISOString(),
  };
}
