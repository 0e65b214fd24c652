import { describe, expect, it } from 'vitest';
import { totpCode } from '@vigil/device-sdk';
import { matchTotp } from '@vigil/crypto';
import { startTotpEnrollment } from '../src/use-cases/start-totp-enrollment.ts';
import { ALICE, NOW, newEnrollmentTestDeps } from './use-case-doubles.ts';

describe('starting a TOTP enrollment', () => {
  it('keeps the new secret pending, sealed for its owner, and answers it once with its otpauth URI', async () => {
    const deps = newEnrollmentTestDeps();
    deps.totp.insertPending.mockResolvedValue(undefined);

    const started = await startTotpEnrollment(deps, { ...ALICE, accountName: 'alice@acme.example' });

    expect(started).toMatchObject({ enrollmentId: 'id-1', expiresAt: new Date(NOW.getTime() + 600_000).toISOString() });
    expect(started.otpauthUri).toMatch(/^otpauth:\/\/totp\/Vigil:alice%40acme\.example\?/);
    const [pending] = deps.totp.insertPending.mock.calls[0] ?? [];
    const opened = pending && deps.secretBox.open(pending.secret, 'acme:alice');
    expect(opened && matchTotp(opened, totpCode(started.secret, NOW), NOW)).not.toBeNull();
    expect(pending && deps.secretBox.open(pending.secret, 'acme:bob')).toBeNull();
  });
});
