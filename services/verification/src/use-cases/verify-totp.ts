import { matchTotp } from '@vigil/crypto';
import { draft } from '@vigil/events';
import type { UserRef } from '@vigil/events';
import { STEP_MEMORY_SECONDS } from '../domain/totp-replay.ts';
import { VerificationError } from '../domain/verification-error.ts';
import type { VerificationDeps } from './deps.ts';

export interface VerifyTotp extends UserRef {
  code: string;
}

export type TotpResult = { valid: true; reason: null; verificationId: string } | { valid: false; reason: 'invalid_code' | 'reused_code'; verificationId: null };

/**
 * CONTRACT §6 TOTP verify: ±1 step; a used code is reused_code; 5 consecutive failures lock 5 min, doubling. The
 * attempt is claimed before the code is compared, so concurrent wrong codes cannot outnumber the policy.
 */
export async function verifyTotp(deps: VerificationDeps, command: VerifyTotp): Promise<TotpResult> {
  const user = { tenantId: command.tenantId, userId: command.userId };
  const sealed = await deps.factors.totpSecret(user);
  if (sealed === null) throw new VerificationError('no_totp', 'the user has no confirmed TOTP authenticator');
  const now = deps.now();
  const attempt = await deps.totpGuard.claimAttempt(user);
  if (attempt.kind === 'locked') {
    await deps.events.emit('vigil.totp.failed', {
      ...user, reason: 'locked', consecutiveFailures: deps.settings.lockout.failures, lockedUntil: new Date(now.getTime() + attempt.retryAfterMs).toISOString(), failedAt: now.toISOString(),
    });
    throw new VerificationError('throttled', 'too many failed codes; TOTP is locked', { retryAfterMs: attempt.retryAfterMs });
  }
  const secret = deps.secretBox.open(sealed, `${user.tenantId}:${user.userId}`);
  const step = secret === null ? null : matchTotp(secret, command.code, now);
  const verified = draft('vigil.totp.verified', { ...user, verificationId: deps.newId(), verifiedAt: now.toISOString() });
  const accepted = step === null ? null : await deps.totpGuard.acceptStep(user, step, STEP_MEMORY_SECONDS, verified);
  if (accepted !== null) return { valid: true, reason: null, verificationId: accepted.verificationId };
  const reason = step === null ? 'invalid_code' : 'reused_code';
  await deps.events.emit('vigil.totp.failed', {
    ...user, reason, consecutiveFailures: attempt.n, lockedUntil: attempt.lockoutMs === null ? null : new Date(now.getTime() + attempt.lockoutMs).toISOString(), failedAt: now.toISOString(),
  });
  return { valid: false, reason, verificationId: null };
}
