import { sha256Hex } from '@vigil/crypto';
import type { UserRef } from '@vigil/events';
import { activationUri, newActivationCode } from '../domain/activation-code.ts';
import { checkReplacement } from '../domain/replacement-policy.ts';
import type { EnrollmentDeps } from './deps.ts';

export interface StartPushEnrollment extends UserRef {
  /** An admin reset: the code may replace the user's device without a proof. */
  replace: boolean;
  /** A recent push approval or TOTP success of the user, standing as proof for replacing a device. */
  proofId: string | null;
}

export interface PushEnrollmentStarted {
  enrollmentId: string;
  activationCode: string;
  activationUri: string;
  expiresAt: string;
}

/** CONTRACT §4: issues a single-use activation code (stored by hash only) for the user's push device. */
export async function startPushEnrollment(deps: EnrollmentDeps, command: StartPushEnrollment): Promise<PushEnrollmentStarted> {
  const now = deps.now();
  const user = { tenantId: command.tenantId, userId: command.userId };
  const active = await deps.devices.findActiveByUser(user);
  const proofAt = active && !command.replace && command.proofId ? await deps.proofs.take(user, command.proofId) : null;
  checkReplacement({
    hasActiveDevice: active !== null,
    replace: command.replace,
    proofAt,
    proofIdGiven: command.proofId !== null,
    now,
    proofMaxAgeMs: deps.settings.proofMaxAgeMs,
  });
  const code = newActivationCode();
  const enrollmentId = deps.newId();
  const expiresAt = new Date(now.getTime() + deps.settings.activationCodeTtlMs);
  // Only a proof that was checked (and spent) here gives the code the right to replace a device (CONTRACT §4 v2):
  // one named while the user had no device was never checked, so the code is a plain one.
  const proofId = proofAt === null ? null : command.proofId;
  await deps.codes.insert(sha256Hex(code), { ...user, enrollmentId, expiresAt, replace: command.replace, proofId });
  await deps.events.emit('vigil.push.enrollment-started', { ...user, enrollmentId, expiresAt: expiresAt.toISOString(), replace: command.replace, proofId });
  return { enrollmentId, activationCode: code, activationUri: activationUri(code, deps.settings.enrollmentBaseUrl), expiresAt: expiresAt.toISOString() };
}
