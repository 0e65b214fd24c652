import { describe, expect, it } from 'vitest';
import { cancelChallenge } from '../src/use-cases/cancel-challenge.ts';
import { readChallenge } from '../src/use-cases/read-challenge.ts';
import { aChallenge, newChallengeTestDeps } from './use-case-doubles.ts';

const ref = { tenantId: 'acme', challengeId: 'challenge-0' };

describe('cancelChallenge', () => {
  it('answers another tenant\'s challenge as missing, changing nothing', async () => {
    const deps = newChallengeTestDeps();
    deps.store.get.mockResolvedValue(aChallenge({ tenantId: 'globex' }));
    await expect(cancelChallenge(deps, ref)).rejects.toMatchObject({ code: 'not_found', status: 404 });
    expect(deps.store.decide).not.toHaveBeenCalled();
  });

  it('cancels with its announcement in one step and wakes the long polls', async () => {
    const deps = newChallengeTestDeps();
    deps.store.get.mockResolvedValue(aChallenge());
    deps.store.decide.mockResolvedValue({ challenge: aChallenge({ status: 'cancelled' }), changed: true });
    deps.signal.notify.mockResolvedValue();
    await cancelChallenge(deps, ref);
    const [, , status, , , announce] = deps.store.decide.mock.calls[0]!;
    expect(status).toBe('cancelled');
    expect(announce).toEqual([expect.objectContaining({ type: 'vigil.challenge.cancelled' })]);
    expect(deps.signal.notify).toHaveBeenCalledWith('challenge-0');
  });

  it('fails without waking anyone when the announcement cannot reach Kafka; the repeat wakes them', async () => {
    const deps = newChallengeTestDeps();
    deps.store.get.mockResolvedValue(aChallenge());
    deps.store.decide.mockRejectedValueOnce(Object.assign(new Error('broker down'), { name: 'EventsPendingError' }));
    await expect(cancelChallenge(deps, ref)).rejects.toThrow('broker down');
    expect(deps.signal.notify).not.toHaveBeenCalled();
    // The change stood: the repeat finds it decided (not changed) and still wakes the waiters.
    deps.store.decide.mockResolvedValueOnce({ challenge: aChallenge({ status: 'cancelled' }), changed: false });
    deps.signal.notify.mockResolvedValue();
    await cancelChallenge(deps, ref);
    expect(deps.signal.notify).toHaveBeenCalledOnce();
  });

  it('leaves a decided challenge as it is, waking no one', async () => {
    const deps = newChallengeTestDeps();
    deps.store.get.mockResolvedValue(aChallenge());
    deps.store.decide.mockResolvedValue({ challenge: aChallenge({ status: 'approved' }), changed: false });
    await cancelChallenge(deps, ref);
    expect(deps.signal.notify).not.toHaveBeenCalled();
  });
});

describe('readChallenge', () => {
  it('answers at once without a wait', async () => {
    const deps = newChallengeTestDeps();
    deps.store.get.mockResolvedValue(aChallenge());
    await expect(readChallenge(deps, { ...ref, waitMs: 0 })).resolves.toMatchObject({ status: 'pending' });
    expect(deps.signal.wait).not.toHaveBeenCalled();
  });

  it('does not miss a decision made between its first read and its wait', async () => {
    const deps = newChallengeTestDeps();
    deps.store.get.mockResolvedValueOnce(aChallenge()).mockResolvedValueOnce(aChallenge({ status: 'approved' }));
    deps.signal.wait.mockReturnValue(new Promise(() => undefined));
    await expect(readChallenge(deps, { ...ref, waitMs: 30_000 })).resolves.toMatchObject({ status: 'approved' });
  });

  it('reads again when woken', async () => {
    const deps = newChallengeTestDeps();
    deps.store.get.mockResolvedValueOnce(aChallenge()).mockResolvedValueOnce(aChallenge()).mockResolvedValueOnce(aChallenge({ status: 'denied' }));
    deps.signal.wait.mockResolvedValue();
    await expect(readChallenge(deps, { ...ref, waitMs: 30_000 })).resolves.toMatchObject({ status: 'denied' });
    expect(deps.signal.wait).toHaveBeenCalledWith('challenge-0', 30_000);
  });
});
