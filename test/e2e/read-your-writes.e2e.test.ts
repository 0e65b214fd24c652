import { describe, expect, inject, it } from 'vitest';
import { VigilDevice, totpCode } from '@vigil/device-sdk';
import { LoginSystem } from './login-system.ts';

// CONTRACT §2 (v2) read-your-writes, as a login system and a phone see it: the next request, sent the instant a write
// answers, already sees the write — on another service. Each is tried many times: a gap of milliseconds shows up as
// some trials failing, never as all of them.

const fakeFcmUrl = inject('fakeFcmUrl');
const stack = inject('stack') as { services: Record<'enrollment' | 'challenge' | 'verification', string> };
const login = new LoginSystem({ challengeUrl: stack.services.challenge, verificationUrl: stack.services.verification, apiKey: 'dev-auth-key' });
const TRIALS = 20;

async function admin(method: string, path: string, body?: unknown) {
  const response = await fetch(`${stack.services.enrollment}${path}`, {
    method,
    headers: { authorization: 'Bearer dev-admin-key', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as Record<string, unknown> };
}

async function activate(userId: string, replace = false): Promise<VigilDevice> {
  const started = await admin('POST', `/v1/users/${userId}/push-enrollments`, replace ? { replace: true } : {});
  expect(started.status).toBe(201);
  return VigilDevice.activate(String(started.body['activationUri']), { platform: 'web', pushToken: null });
}

const pending = (device: VigilDevice) => device.request(stack.services.verification, 'GET', '/v1/device/challenges/pending?waitSeconds=0');

describe('read-your-writes across services', () => {
  it('pushes to a device and verifies its signatures right after its activation answers', async () => {
    const failures: string[] = [];
    for (let trial = 0; trial < TRIALS; trial += 1) {
      const userId = `ryw-activate-${trial}`;
      const device = await activate(userId);
      const [push, signed] = await Promise.all([login.startPush(userId), pending(device)]);
      if (push.status !== 201) failures.push(`${userId}: challenge ${push.status} ${String(push.body['code'])}`);
      if (signed.status !== 200) failures.push(`${userId}: device request ${signed.status}`);
    }
    expect(failures).toEqual([]);
  });

  it('refuses a revoked device and pushes nothing to it right after the revocation answers', async () => {
    const failures: string[] = [];
    for (let trial = 0; trial < TRIALS; trial += 1) {
      const userId = `ryw-revoke-${trial}`;
      const device = await activate(userId);
      expect((await admin('DELETE', `/v1/users/${userId}/push-device`)).status).toBe(204);
      const [push, signed] = await Promise.all([login.startPush(userId), pending(device)]);
      if (push.status !== 404) failures.push(`${userId}: challenge ${push.status}`);
      if (signed.status !== 401) failures.push(`${userId}: revoked device answered ${signed.status}`);
    }
    expect(failures).toEqual([]);
  });

  it('refuses a device that unenrolled itself right after DELETE /v1/device answers', async () => {
    const failures: string[] = [];
    for (let trial = 0; trial < TRIALS / 2; trial += 1) {
      const userId = `ryw-self-${trial}`;
      const device = await activate(userId);
      expect((await device.request(stack.services.enrollment, 'DELETE', '/v1/device')).status).toBe(204);
      const signed = await pending(device);
      if (signed.status !== 401) failures.push(`${userId}: unenrolled device answered ${signed.status}`);
      if ((await login.startPush(userId)).status !== 404) failures.push(`${userId}: challenge created`);
    }
    expect(failures).toEqual([]);
  });

  it('targets only the new device right after a replacing activation answers', async () => {
    const failures: string[] = [];
    for (let trial = 0; trial < TRIALS / 2; trial += 1) {
      const userId = `ryw-replace-${trial}`;
      const old = await activate(userId);
      const replacement = await activate(userId, true);
      const [signedOld, push] = await Promise.all([pending(old), login.startPush(userId)]);
      if (signedOld.status !== 401) failures.push(`${userId}: replaced device answered ${signedOld.status}`);
      const listed = await replacement.request<{ challenges: { payload: string }[] }>(stack.services.verification, 'GET', '/v1/device/challenges/pending?waitSeconds=5');
      const targets = (listed.body.challenges ?? []).map((signed) => (JSON.parse(signed.payload) as { deviceId: string }).deviceId);
      if (push.status !== 201 || !targets.includes(replacement.deviceId)) failures.push(`${userId}: push ${push.status}, new device sees ${targets.join(',') || 'nothing'}`);
    }
    expect(failures).toEqual([]);
  });

  it('pushes to a new FCM token right after the token change answers', async () => {
    const failures: string[] = [];
    for (let trial = 0; trial < TRIALS / 2; trial += 1) {
      const userId = `ryw-token-${trial}`;
      const device = await activate(userId);
      const token = `ryw-token-${trial}-${crypto.randomUUID()}`;
      expect((await device.request(stack.services.enrollment, 'PUT', '/v1/device/push-token', { pushToken: token })).status).toBe(204);
      const push = await login.startPush(userId);
      const challengeId = String(push.body['challengeId']);
      // The push itself travels asynchronously (Kafka → notification → FCM); what must hold is whom it goes to.
      let sent: { message: { token: string; data: Record<string, string> } }[] = [];
      for (let look = 0; look < 50 && !sent.some((request) => request.message.data['challengeId'] === challengeId); look += 1) {
        sent = (await (await fetch(`${fakeFcmUrl}/fake/requests`)).json()) as typeof sent;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const mine = sent.filter((request) => request.message.data['challengeId'] === challengeId);
      if (mine.length !== 1 || mine[0]?.message.token !== token) failures.push(`${userId}: pushes ${JSON.stringify(mine.map((request) => request.message.token))}`);
    }
    expect(failures).toEqual([]);
  });

  it('accepts TOTP codes right after the confirm answers, and refuses them right after removal answers', async () => {
    const failures: string[] = [];
    for (let trial = 0; trial < TRIALS / 2; trial += 1) {
      const userId = `ryw-totp-${trial}`;
      const started = await admin('POST', `/v1/users/${userId}/totp-enrollments`, {});
      const secret = String(started.body['secret']);
      expect((await admin('POST', `/v1/users/${userId}/totp-enrollments/${started.body['enrollmentId']}/confirm`, { code: totpCode(secret) })).status).toBe(200);
      const verified = await login.verifyTotp(userId, totpCode(secret, new Date(Date.now() + 30_000)));
      if (verified.status !== 200 || verified.body['valid'] !== true) failures.push(`${userId}: verify after confirm ${verified.status} ${JSON.stringify(verified.body)}`);
      expect((await admin('DELETE', `/v1/users/${userId}/totp`)).status).toBe(204);
      const removed = await login.verifyTotp(userId, totpCode(secret, new Date(Date.now() + 60_000)));
      if (removed.status !== 404) failures.push(`${userId}: verify after removal ${removed.status}`);
    }
    expect(failures).toEqual([]);
  });
});
