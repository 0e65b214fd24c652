import { describe, expect, it } from 'vitest';
import { removeTotp } from '../src/use-cases/remove-totp.ts';
import { ALICE, NOW, emitted, factorChangesSucceed, newEnrollmentTestDeps } from './use-case-doubles.ts';

describe('removing TOTP', () => {
  it('removes the secret, announces it and publishes the user without it', async () => {
    const deps = newEnrollmentTestDeps();
    factorChangesSucceed(deps);
    deps.devices.findActiveByUser.mockResolvedValue(null);
    deps.totp.removeCredential.mockResolvedValue(true);

    await expect(removeTotp(deps, ALICE)).resolves.toEqual({ removed: true });

    expect(deps.events.emit).toHaveBeenCalledWith('vigil.totp.removed', { ...ALICE, removedAt: NOW.toISOString() });
    expect(deps.factors.publish).toHaveBeenCalledWith(null, ALICE);
  });

  it('publishes again on a repeat that finds nothing to remove, without announcing a removal', async () => {
    const deps = newEnrollmentTestDeps();
    factorChangesSucceed(deps);
    deps.devices.findActiveByUser.mockResolvedValue(null);
    deps.totp.removeCredential.mockResolvedValue(false);

    await expect(removeTotp(deps, ALICE)).resolves.toEqual({ removed: false });

    expect(emitted(deps)).toEqual([]);
    expect(deps.factors.publish).toHaveBeenCalledWith(null, ALICE);
    expect(deps.factorVersions.settled).toHaveBeenCalledWith(ALICE, 'mark-1');
  });
});
