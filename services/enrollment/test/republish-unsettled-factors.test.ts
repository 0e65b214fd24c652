import { describe, expect, it } from 'vitest';
import { republishUnsettledFactors } from '../src/use-cases/republish-unsettled-factors.ts';
import { ALICE, NOW, aDevice, factorChangesSucceed, newEnrollmentTestDeps } from './use-case-doubles.ts';

const BOB = { tenantId: 'acme', userId: 'bob' };

describe('the factors repair sweep', () => {
  it('publishes the current factors of each user with an old unsettled change, then settles the marks it saw', async () => {
    const deps = newEnrollmentTestDeps();
    factorChangesSucceed(deps);
    deps.factorVersions.unsettled.mockResolvedValue([{ user: ALICE, marks: ['old-a'] }, { user: BOB, marks: ['old-b1', 'old-b2'] }]);
    deps.devices.findActiveByUser.mockImplementation(async (user) => (user.userId === 'alice' ? aDevice() : null));

    await expect(republishUnsettledFactors(deps, { olderThanMs: 3_000 })).resolves.toEqual({ republished: 2 });

    expect(deps.factorVersions.unsettled).toHaveBeenCalledWith(new Date(NOW.getTime() - 3_000), 100);
    expect(deps.factors.publish.mock.calls.map(([snapshot, user]) => [snapshot?.push?.deviceId ?? null, user])).toEqual([['device-1', ALICE], [null, BOB]]);
    expect(deps.factorVersions.settled.mock.calls).toEqual([[ALICE, 'mark-1', 'old-a'], [BOB, 'mark-2', 'old-b1', 'old-b2']]);
  });

  it('leaves the marks of a user it could not publish, for the next sweep', async () => {
    const deps = newEnrollmentTestDeps();
    factorChangesSucceed(deps);
    deps.factorVersions.unsettled.mockResolvedValue([{ user: ALICE, marks: ['old-a'] }]);
    deps.devices.findActiveByUser.mockResolvedValue(aDevice());
    deps.factors.publish.mockRejectedValue(new Error('kafka down'));

    await expect(republishUnsettledFactors(deps, { olderThanMs: 3_000 })).rejects.toThrow('kafka down');
    expect(deps.factorVersions.settled).not.toHaveBeenCalled();
  });
});
