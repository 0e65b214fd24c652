import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { createSecretBox } from '@vigil/crypto';
import { lockoutSchedule } from '../src/domain/lockout-policy.ts';
import { verifyTotp } from '../src/use-cases/verify-totp.ts';
import { NOW, newVerificationTestDeps } from './use-case-doubles.ts';

const secret = randomBytes(20);
const box = createSecretBox(new Map([['k1', randomBytes(32)]]));
const sealed = box.seal(secret, 'acme:alice');
const codeAt = (at: Date) => new TOTP({ secret: new Secret({ buffer: secret.buffer.slice(secret.byteOffset, secret.byteOffset + 20) as ArrayBuffer }) }).generate({ timestamp: at.getTime() });
const user = { tenantId: 'acme', userId: 'alice' };

function depsWithSecret() {
  const deps = newVerificationTestDeps({ secretBox: box });
  deps.factors.totpSecret.mockResolvedValue(sealed);
  return deps;
}

describe('verifyTotp', () => {
  it('refuses a user without TOTP with no_totp (404), claiming no attempt', async () => {
    const deps = newVerificationTestDeps();
    deps.factors.totpSecret.mockResolvedValue(null);
    await expect(verifyTotp(deps, { ...user, code: '123456' })).rejects.toMatchObject({ code: 'no_totp', status: 404 });
    expect(deps.totpGuard.claimAttempt).not.toHaveBeenCalled();
  });

  it('accepts the current code once its attempt is claimed, answering the verification the guard recorded', async () => {
    const deps = depsWithSecret();
    deps.totpGuard.claimAttempt.mockResolvedValue({ kind: 'attempt', n: 1, lockoutMs: null });
    deps.totpGuard.acceptStep.mockResolvedValue({ verificationId: 'verification-1' });
    await expect(verifyTotp(deps, { ...user, code: codeAt(NOW) })).resolves.toEqual({ valid: true, reason: null, verificationId: 'verification-1' });
    expect(deps.events.emit).not.toHaveBeenCalled();
  });

  it('answers a wrong code invalid_code and announces the failure with the lockout the last attempt started', async () => {
    const deps = depsWithSecret();
    deps.totpGuard.claimAttempt.mockResolvedValue({ kind: 'attempt', n: 5, lockoutMs: 300_000 });
    deps.events.emit.mockResolvedValue();
    await expect(verifyTotp(deps, { ...user, code: '000000' === codeAt(NOW) ? '111111' : '000000' })).resolves.toEqual({ valid: false, reason: 'invalid_code', verificationId: null });
    expect(deps.events.emit).toHaveBeenCalledWith('vigil.totp.failed', expect.objectContaining({
      reason: 'invalid_code', consecutiveFailures: 5, lockedUntil: new Date(NOW.getTime() + 300_000).toISOString(),
    }));
  });

  it('answers a code already used reused_code', async () => {
    const deps = depsWithSecret();
    deps.totpGuard.claimAttempt.mockResolvedValue({ kind: 'attempt', n: 1, lockoutMs: null });
    deps.totpGuard.acceptStep.mockResolvedValue(null);
    deps.events.emit.mockResolvedValue();
    await expect(verifyTotp(deps, { ...user, code: codeAt(NOW) })).resolves.toMatchObject({ valid: false, reason: 'reused_code' });
  });

  it('answers 429 with the time left while locked, comparing no code', async () => {
    const deps = depsWithSecret();
    deps.totpGuard.claimAttempt.mockResolvedValue({ kind: 'locked', retryAfterMs: 120_000 });
    deps.events.emit.mockResolvedValue();
    await expect(verifyTotp(deps, { ...user, code: codeAt(NOW) })).rejects.toMatchObject({ code: 'throttled', status: 429, retryAfterMs: 120_000 });
    expect(deps.totpGuard.acceptStep).not.toHaveBeenCalled();
  });

  it('lets the failure through when the acceptance could not be announced (503; the repeat converges in the guard)', async () => {
    const deps = depsWithSecret();
    deps.totpGuard.claimAttempt.mockResolvedValue({ kind: 'attempt', n: 1, lockoutMs: null });
    deps.totpGuard.acceptStep.mockRejectedValue(Object.assign(new Error('broker down'), { name: 'EventsPendingError' }));
    await expect(verifyTotp(deps, { ...user, code: codeAt(NOW) })).rejects.toThrow('broker down');
  });
});

describe('lockoutSchedule', () => {
  it('doubles from the base up to the cap, ending at the first repeat', () => {
    expect(lockoutSchedule({ failures: 5, baseMs: 300_000, maxMs: 2_400_000 })).toEqual([300_000, 600_000, 1_200_000, 2_400_000, 2_400_000]);
  });
});
