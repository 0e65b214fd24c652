import { describe, expect, it } from 'vitest';
import { readDeviceChallenge } from '../src/use-cases/read-device-challenge.ts';
import { respondToChallenge } from '../src/use-cases/respond-to-challenge.ts';
import { aProjectedChallenge, device, newVerificationTestDeps } from './use-case-doubles.ts';

const attempt = { device, challengeId: 'challenge-1', sourceIp: '198.51.100.4' };

describe('respondToChallenge', () => {
  it('approves with the right number, the decision and its announcement in one step', async () => {
    const deps = newVerificationTestDeps();
    deps.challenges.get.mockResolvedValue(aProjectedChallenge());
    deps.challenges.decide.mockResolvedValue('decided');
    await expect(respondToChallenge(deps, { ...attempt, decision: 'approve', numberMatch: '123456' })).resolves.toEqual({ status: 'approved' });
    const [, status, , announce, mismatch] = deps.challenges.decide.mock.calls[0]!;
    expect({ status, mismatch }).toEqual({ status: 'approved', mismatch: false });
    expect(announce.map((event) => event.type)).toEqual(['vigil.challenge.approved']);
  });

  it('denies an approval with the wrong number and says so (422), the rejection announced with the denial', async () => {
    const deps = newVerificationTestDeps();
    deps.challenges.get.mockResolvedValue(aProjectedChallenge());
    deps.challenges.decide.mockResolvedValue('decided');
    await expect(respondToChallenge(deps, { ...attempt, decision: 'approve', numberMatch: '654321' })).rejects.toMatchObject({ code: 'number_mismatch', status: 422 });
    const [, status, , announce] = deps.challenges.decide.mock.calls[0]!;
    expect(status).toBe('denied');
    expect(announce.map((event) => event.type)).toEqual(['vigil.challenge.denied', 'vigil.response.rejected']);
  });

  it('lets the failure through when the decision was stored but Kafka did not take it (503; the repeat delivers it)', async () => {
    const deps = newVerificationTestDeps();
    deps.challenges.get.mockResolvedValue(aProjectedChallenge());
    deps.challenges.decide.mockRejectedValue(Object.assign(new Error('broker down'), { name: 'EventsPendingError' }));
    await expect(respondToChallenge(deps, { ...attempt, decision: 'deny' })).rejects.toThrow('broker down');
    expect(deps.events.emit).not.toHaveBeenCalled();
  });

  it('answers a late answer 410 expired and a second one 409 already_decided, each reported as a rejection', async () => {
    for (const [outcome, status] of [['expired', 410], ['already_decided', 409]] as const) {
      const deps = newVerificationTestDeps();
      deps.challenges.get.mockResolvedValue(aProjectedChallenge());
      deps.challenges.decide.mockResolvedValue(outcome);
      deps.rejections.allow.mockResolvedValue(true);
      deps.events.emit.mockResolvedValue();
      await expect(respondToChallenge(deps, { ...attempt, decision: 'approve', numberMatch: '123456' })).rejects.toMatchObject({ code: outcome, status });
      expect(deps.events.emit).toHaveBeenCalledWith('vigil.response.rejected', expect.objectContaining({ reason: outcome, challengeId: 'challenge-1' }));
    }
  });

  it('answers another device\'s challenge as missing and reports it, deciding nothing', async () => {
    const deps = newVerificationTestDeps();
    deps.challenges.get.mockResolvedValue(aProjectedChallenge({ deviceId: 'device-2' }));
    deps.rejections.allow.mockResolvedValue(true);
    deps.events.emit.mockResolvedValue();
    await expect(respondToChallenge(deps, { ...attempt, decision: 'approve', numberMatch: '123456' })).rejects.toMatchObject({ code: 'not_found', status: 404 });
    expect(deps.events.emit).toHaveBeenCalledWith('vigil.response.rejected', expect.objectContaining({ reason: 'wrong_device' }));
    expect(deps.challenges.decide).not.toHaveBeenCalled();
  });

  it('stays quiet about rejections past the device\'s budget', async () => {
    const deps = newVerificationTestDeps();
    deps.challenges.get.mockResolvedValue(aProjectedChallenge());
    deps.challenges.decide.mockResolvedValue('already_decided');
    deps.rejections.allow.mockResolvedValue(false);
    await expect(respondToChallenge(deps, { ...attempt, decision: 'deny' })).rejects.toMatchObject({ code: 'already_decided' });
    expect(deps.events.emit).not.toHaveBeenCalled();
  });
});

describe('readDeviceChallenge', () => {
  it('answers a decided challenge 410 for the device (CONTRACT §6), an expired one 410 expired', async () => {
    const deps = newVerificationTestDeps();
    deps.challenges.get.mockResolvedValueOnce(aProjectedChallenge({ status: 'approved' })).mockResolvedValueOnce(aProjectedChallenge({ status: 'expired' }));
    await expect(readDeviceChallenge(deps, attempt)).rejects.toMatchObject({ code: 'already_decided', status: 410 });
    await expect(readDeviceChallenge(deps, attempt)).rejects.toMatchObject({ code: 'expired', status: 410 });
  });

  it('answers a pending challenge with its server-signed payload', async () => {
    const deps = newVerificationTestDeps();
    deps.challenges.get.mockResolvedValue(aProjectedChallenge());
    await expect(readDeviceChallenge(deps, attempt)).resolves.toEqual({ payload: 'payload', signature: 'signature', keyId: 'server-1' });
  });
});
