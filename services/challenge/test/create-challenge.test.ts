import { describe, expect, it } from 'vitest';
import { EventsPendingError } from '@vigil/kafka';
import { ChallengeError } from '../src/domain/challenge-error.ts';
import { createChallenge } from '../src/use-cases/create-challenge.ts';
import { aChallenge, newChallengeTestDeps, NOW } from './use-case-doubles.ts';

const command = { tenantId: 'acme', userId: 'alice', context: { ip: '203.0.113.7' }, idempotencyKey: null };
const admitted = { admitted: true, deviceId: 'device-1', delivery: 'push' } as const;

describe('createChallenge', () => {
  it('stores a pushed challenge with its created and expired events under the tenant policy', async () => {
    const deps = newChallengeTestDeps();
    deps.policies.get.mockResolvedValue(null);
    deps.gate.admit.mockResolvedValue(admitted);
    deps.store.create.mockResolvedValue();
    const { challenge, repeated } = await createChallenge(deps, command);
    expect(repeated).toBe(false);
    expect(challenge).toMatchObject({ challengeId: 'challenge-1', deviceId: 'device-1', delivery: 'push', status: 'pending', expiresAt: new Date(NOW.getTime() + 60_000) });
    expect(challenge.numberMatch).toMatch(/^\d{6}$/);
    const [, announce] = deps.store.create.mock.calls[0]!;
    expect(announce.created).toMatchObject({ type: 'vigil.challenge.created', data: { challengeId: 'challenge-1', delivery: 'push', numberMatchDigits: 6 } });
    expect(announce.expired.type).toBe('vigil.challenge.expired');
  });

  it('refuses a user without a push device with no_push_device (404), announcing nothing', async () => {
    const deps = newChallengeTestDeps();
    deps.policies.get.mockResolvedValue(null);
    deps.gate.admit.mockResolvedValue({ admitted: false, kind: 'no_device' });
    await expect(createChallenge(deps, command)).rejects.toMatchObject({ code: 'no_push_device', status: 404 });
  });

  it('refuses a suspended user with push_suspended (423) and the time left', async () => {
    const deps = newChallengeTestDeps();
    deps.policies.get.mockResolvedValue(null);
    deps.gate.admit.mockResolvedValue({ admitted: false, kind: 'suspended', retryAfterMs: 90_000 });
    await expect(createChallenge(deps, command)).rejects.toMatchObject({ code: 'push_suspended', status: 423, retryAfterMs: 90_000 });
  });

  it('announces a throttled create and refuses it with 429 and the rule', async () => {
    const deps = newChallengeTestDeps();
    deps.policies.get.mockResolvedValue(null);
    deps.gate.admit.mockResolvedValue({ admitted: false, kind: 'throttled', rule: 'ip_per_minute', retryAfterMs: 1_500 });
    deps.events.emit.mockResolvedValue();
    const refusal = await createChallenge(deps, command).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ChallengeError);
    expect(refusal).toMatchObject({ code: 'throttled', status: 429, retryAfterMs: 1_500 });
    expect(deps.events.emit).toHaveBeenCalledWith('vigil.challenge.throttled', expect.objectContaining({ rule: 'ip_per_minute', retryAfterSeconds: 2 }));
  });

  it('answers a repeated Idempotency-Key with the first pending challenge, without a second admission or push', async () => {
    const deps = newChallengeTestDeps();
    deps.policies.get.mockResolvedValue(null);
    deps.idempotency.reserve.mockResolvedValue('challenge-0');
    deps.store.get.mockResolvedValue(aChallenge());
    const { challenge, repeated } = await createChallenge(deps, { ...command, idempotencyKey: 'login-1' });
    expect(repeated).toBe(true);
    expect(challenge.challengeId).toBe('challenge-0');
    expect(deps.gate.admit).not.toHaveBeenCalled();
  });

  it('keeps the key when the challenge was stored but not yet announced, so the retry gets it instead of a second push', async () => {
    const deps = newChallengeTestDeps();
    deps.policies.get.mockResolvedValue(null);
    deps.idempotency.reserve.mockResolvedValue(null);
    deps.gate.admit.mockResolvedValue(admitted);
    deps.store.create.mockRejectedValue(new EventsPendingError(new Error('broker down')));
    await expect(createChallenge(deps, { ...command, idempotencyKey: 'login-1' })).rejects.toBeInstanceOf(EventsPendingError);
    expect(deps.idempotency.release).not.toHaveBeenCalled();
  });

  it('releases the key when nothing was stored, so the retry makes the challenge', async () => {
    const deps = newChallengeTestDeps();
    deps.policies.get.mockResolvedValue(null);
    deps.idempotency.reserve.mockResolvedValue(null);
    deps.idempotency.release.mockResolvedValue();
    deps.gate.admit.mockRejectedValue(Object.assign(new Error('Connection is closed.'), { name: 'Error' }));
    await expect(createChallenge(deps, { ...command, idempotencyKey: 'login-1' })).rejects.toThrow('Connection is closed.');
    expect(deps.idempotency.release).toHaveBeenCalledWith({ tenantId: 'acme', userId: 'alice' }, 'login-1');
    expect(deps.store.create).not.toHaveBeenCalled();
  });
});
