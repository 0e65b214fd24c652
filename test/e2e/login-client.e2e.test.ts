import { describe, expect, inject, it } from 'vitest';
import { VigilDevice, type SignedPayload } from '@vigil/device-sdk';
import { createLoginClient } from '@vigil/login-client';

const stack = inject('stack') as { services: Record<'enrollment' | 'challenge' | 'verification', string> };
const login = createLoginClient({ challengeUrl: stack.services.challenge, verificationUrl: stack.services.verification, apiKey: 'dev-auth-key', adminApiKey: 'dev-admin-key' });

async function enrollPhone(userId: string): Promise<VigilDevice> {
  const started = await fetch(`${stack.services.enrollment}/v1/users/${userId}/push-enrollments`, {
    method: 'POST', headers: { authorization: 'Bearer dev-admin-key', 'content-type': 'application/json' }, body: '{}',
  });
  const { activationUri } = (await started.json()) as { activationUri: string };
  return VigilDevice.activate(activationUri, { platform: 'ios', pushToken: null });
}

async function approveOnPhone(device: VigilDevice, challengeId: string, numberMatch: string): Promise<void> {
  const pending = await device.request<{ challenges: SignedPayload[] }>(stack.services.verification, 'GET', '/v1/device/challenges/pending?waitSeconds=10');
  expect(pending.body.challenges.some((signed) => signed.payload.includes(challengeId))).toBe(true);
  const answer = await device.request(stack.services.verification, 'POST', `/v1/device/challenges/${challengeId}/response`, { decision: 'approve', numberMatch });
  expect(answer.status).toBe(200);
}

describe('login client (libs/login-client) against the running services', () => {
  it('creates a challenge once per Idempotency-Key and waits for the phone\'s approval', async () => {
    const device = await enrollPhone('lc-alice');
    const created = await login.createChallenge({ userId: 'lc-alice', context: { ip: '198.51.100.30', application: 'vpn' }, idempotencyKey: 'lc-login-1' });
    if (!created.ok) throw new Error(JSON.stringify(created.problem));
    expect(created.value).toMatchObject({ status: 'pending', delivery: 'push', repeated: false });
    const repeated = await login.createChallenge({ userId: 'lc-alice', idempotencyKey: 'lc-login-1' });
    expect(repeated).toMatchObject({ ok: true, value: { challengeId: created.value.challengeId, repeated: true } });

    const decision = login.waitForDecision(created.value.challengeId, { timeoutMs: 20_000 });
    await approveOnPhone(device, created.value.challengeId, created.value.numberMatch);
    expect(await decision).toMatchObject({ ok: true, value: { challengeId: created.value.challengeId, status: 'approved' } });
  });

  it('answers a wait that reaches its deadline with the pending challenge, and a cancel ends it', async () => {
    await enrollPhone('lc-bob');
    const created = await login.createChallenge({ userId: 'lc-bob' });
    if (!created.ok) throw new Error(JSON.stringify(created.problem));
    const started = Date.now();
    expect(await login.waitForDecision(created.value.challengeId, { timeoutMs: 1_500 })).toMatchObject({ ok: true, value: { status: 'pending' } });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await login.cancel(created.value.challengeId)).toEqual({ ok: true, value: null });
    expect(await login.getChallenge(created.value.challengeId)).toMatchObject({ ok: true, value: { status: 'cancelled' } });
  });

  it('gives refusals as values with their contract code, and no answer as unreachable', async () => {
    expect(await login.createChallenge({ userId: 'lc-nobody' })).toMatchObject({ ok: false, problem: { status: 404, code: 'no_push_device' } });
    expect(await login.getChallenge('no-such-challenge')).toMatchObject({ ok: false, problem: { status: 404, code: 'not_found' } });
    expect(await login.verifyTotp({ userId: 'lc-nobody', code: '123456' })).toMatchObject({ ok: false, problem: { status: 404, code: 'no_totp' } });
    const stranger = createLoginClient({ challengeUrl: stack.services.challenge, verificationUrl: stack.services.verification, apiKey: 'not-a-key-of-anyone' });
    expect(await stranger.getChallenge('x')).toMatchObject({ ok: false, problem: { status: 401, code: 'unauthorized' } });
    const nowhere = createLoginClient({ challengeUrl: 'http://127.0.0.1:9', verificationUrl: 'http://127.0.0.1:9', apiKey: 'k', timeoutMs: 2_000 });
    expect(await nowhere.getChallenge('x')).toMatchObject({ ok: false, problem: { status: 0, code: 'unreachable' } });
  });

  it('reads the tenant policy with the admin key', async () => {
    const policy = await login.policy();
    if (!policy.ok) throw new Error(JSON.stringify(policy.problem));
    expect(policy.value.numberMatchDigits).toBe(6);
    expect(policy.value.conformance.nist80063b4).toBe(true);
  });
});
