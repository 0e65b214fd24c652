import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { VigilDevice, totpCode, type SignedPayload } from '@vigil/device-sdk';
import { waitFor } from '@vigil/testkit';
import { LoginSystem } from './login-system.ts';

const fakeFcmUrl = inject('fakeFcmUrl');
const stack = inject('stack') as { services: Record<'enrollment' | 'challenge' | 'verification' | 'notification' | 'anomaly-detection', string> };
let login: LoginSystem;
const ADMIN = 'dev-admin-key';

async function admin(method: string, path: string, body?: unknown, key = ADMIN, service: 'enrollment' | 'anomaly-detection' = 'enrollment') {
  const response = await fetch(`${stack.services[service]}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as Record<string, unknown> };
}

async function enrollPhone(userId: string, pushToken: string | null = null): Promise<VigilDevice> {
  const started = await admin('POST', `/v1/users/${userId}/push-enrollments`, {});
  expect(started.status).toBe(201);
  return VigilDevice.activate(String(started.body['activationUri']), { platform: 'ios', pushToken, deviceName: `${userId}'s phone` });
}

/** The first push, right after the activation answered (CONTRACT §2: the challenge service already knows the device). */
async function firstPush(userId: string) {
  const answer = await login.startPush(userId);
  expect(answer.status).toBe(201);
  return answer;
}

/**
 * The phone's side: wait for the pending challenges (newest first), check the server's signature, answer the newest
 * or the one named.
 */
async function answerOnPhone(device: VigilDevice, decision: 'approve' | 'deny' | 'report', numberMatch?: string, challengeId?: string) {
  const pending = await device.request<{ challenges: SignedPayload[] }>(stack.services.verification, 'GET', '/v1/device/challenges/pending?waitSeconds=15');
  expect(pending.status).toBe(200);
  const signed = challengeId === undefined ? pending.body.challenges[0] : pending.body.challenges.find((item) => item.payload.includes(challengeId));
  if (!signed) throw new Error('no pending challenge on the phone');
  const payload = await device.verifyServerPayload<{ challengeId: string; context: Record<string, unknown>; delivery: string }>(signed);
  if (!payload) throw new Error('the server signature did not verify');
  const response = await device.request<{ status?: string; code?: string }>(stack.services.verification, 'POST', `/v1/device/challenges/${payload.challengeId}/response`, {
    decision, ...(numberMatch === undefined ? {} : { numberMatch }),
  });
  return { challengeId: payload.challengeId, context: payload.context, delivery: payload.delivery, response };
}

interface SentPush { host: string; authorization: string; message: { token: string; data: Record<string, string>; android: { priority: string } } }

/** What FCM delivered to one push token (read from the fake's control endpoint). */
async function pushesTo(token: string): Promise<SentPush[]> {
  const sent = (await (await fetch(`${fakeFcmUrl}/fake/requests`)).json()) as SentPush[];
  return sent.filter((push) => push.message.token === token);
}

// prom-client's default Node gauges end in _total, which promtool reserves for counters; they are the library's
// names (dashboards use them), so they are the one allowed exception. Every vigil_* metric must be clean.
const PROM_CLIENT_GAUGES = /^nodejs_active_(handles|requests|resources)_total /;

/** `promtool check metrics` (Debian package prometheus, installed by .ci/run) on a /metrics text: its complaints. */
async function promtoolProblems(text: string): Promise<string[]> {
  const child = spawn('promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  const exited = new Promise<number>((resolve, reject) => {
    child.on('error', (error) => reject(new Error(`promtool is needed (Debian package prometheus; .ci/run installs it): ${error.message}`)));
    child.on('close', (code) => resolve(code ?? 1));
  });
  child.stdin.end(text);
  await exited;
  return output.split('\n').map((line) => line.trim()).filter((line) => line && !PROM_CLIENT_GAUGES.test(line));
}

beforeAll(() => {
  login = new LoginSystem({ challengeUrl: stack.services.challenge, verificationUrl: stack.services.verification, apiKey: 'dev-auth-key' });
});

describe('Vigil end to end (five processes)', () => {
  it('every service is ready and exposes metrics', async () => {
    for (const [name, url] of Object.entries(stack.services)) {
      expect((await fetch(`${url}/readyz`)).status, name).toBe(200);
      expect(await (await fetch(`${url}/metrics`)).text(), name).toContain('process_resident_memory_bytes');
    }
  });

  it('enrolls a phone, pushes, and the login system sees the approval', async () => {
    const phone = await enrollPhone('ana');
    const factors = await admin('GET', '/v1/users/ana/factors');
    expect(factors.body['push']).toMatchObject({ deviceId: phone.deviceId, channel: 'poll' });
    const push = await firstPush('ana');
    const challengeId = String(push.body['challengeId']);
    const waiting = login.result(challengeId, 20);
    const { response, context } = await answerOnPhone(phone, 'approve', String(push.body['numberMatch']));
    expect(response.body).toEqual({ status: 'approved' });
    expect(context).toMatchObject({ ip: '198.51.100.20', application: 'vpn' });
    expect((await waiting).body).toMatchObject({ challengeId, status: 'approved', reason: null });
  });

  it('records a denial and a number mismatch', async () => {
    const phone = await enrollPhone('ben');
    const first = await firstPush('ben');
    await answerOnPhone(phone, 'deny');
    expect((await login.result(String(first.body['challengeId']), 10)).body).toMatchObject({ status: 'denied', reason: 'user_denied' });
    const second = await login.startPush('ben');
    const wrong = [...String(second.body['numberMatch'])].map((digit) => String((Number(digit) + 1) % 10)).join('');
    const { response } = await answerOnPhone(phone, 'approve', wrong);
    expect(response.status).toBe(422);
    expect((await login.result(String(second.body['challengeId']), 10)).body).toMatchObject({ status: 'denied', reason: 'number_mismatch' });
  });

  it('keeps tenants apart', async () => {
    await enrollPhone('cleo');
    const push = await firstPush('cleo');
    const other = new LoginSystem({ challengeUrl: stack.services.challenge, verificationUrl: stack.services.verification, apiKey: 'globex-auth-key' });
    expect((await other.result(String(push.body['challengeId']))).status).toBe(404);
    expect((await other.startPush('cleo')).status).toBe(404);
  });

  it('stops push bombing without locking the user out: three pushes, then quiet challenges, a fatigue alert and a suspension', async () => {
    const token = 'fcm-token-dan';
    const phone = await enrollPhone('dan', token);
    const pushes = [await firstPush('dan'), await login.startPush('dan'), await login.startPush('dan')];
    expect(pushes.map((push) => [push.status, push.body['delivery']])).toEqual([[201, 'push'], [201, 'push'], [201, 'push']]);
    // Past 3 a minute the challenges are still made (the real user is not locked out), only without a wake-up.
    const quiet = [await login.startPush('dan'), await login.startPush('dan')];
    expect(quiet.map((push) => [push.status, push.body['delivery']])).toEqual([[201, 'quiet'], [201, 'quiet']]);
    for (const push of quiet) expect(String(push.body['numberMatch'])).toMatch(/^\d{6}$/);
    // FCM carried the three pushes and nothing for the quiet ones.
    const idsOf = (list: typeof pushes) => list.map((push) => String(push.body['challengeId']));
    await waitFor(async () => (await pushesTo(token)).length >= 3, { what: 'three FCM pushes' });
    const sent = (await pushesTo(token)).map((push) => push.message.data['challengeId']);
    expect(sent.filter((id) => idsOf(pushes).includes(id ?? '')).sort()).toEqual(idsOf(pushes).sort());
    expect(sent.filter((id) => idsOf(quiet).includes(id ?? ''))).toEqual([]);
    // The worn-down user denies two pushes, then opens the app and approves a quiet challenge with its six digits:
    // the pattern of a successful attack, which the phone still could not have missed.
    await answerOnPhone(phone, 'deny', undefined, idsOf(pushes)[0]);
    await answerOnPhone(phone, 'deny', undefined, idsOf(pushes)[1]);
    const approved = await answerOnPhone(phone, 'approve', String(quiet[1]?.body['numberMatch']), idsOf(quiet)[1]);
    expect(approved.delivery).toBe('quiet');
    expect(approved.response.status).toBe(200);
    expect((await login.result(idsOf(quiet)[1] ?? '', 10)).body).toMatchObject({ status: 'approved' });

    const alerts = await waitFor(async () => {
      const answer = await admin('GET', '/v1/alerts?userId=dan', undefined, 'dev-soc-key', 'anomaly-detection');
      const rules = (answer.body['alerts'] as { rule: string }[]).map((alert) => alert.rule);
      return rules.includes('push_burst') && rules.includes('fatigue_acceptance') ? (answer.body['alerts'] as { rule: string; severity: string; ocsf: { class_uid: number } }[]) : undefined;
    }, { timeoutMs: 30_000, what: 'push_burst and fatigue_acceptance alerts' });
    expect(alerts.find((alert) => alert.rule === 'fatigue_acceptance')).toMatchObject({ severity: 'critical', ocsf: { class_uid: 2004 } });
    const suspended = await waitFor(async () => {
      const answer = await login.startPush('dan');
      return answer.status === 423 ? answer : undefined;
    }, { timeoutMs: 20_000, what: 'the suspension to reach the challenge service' });
    expect(suspended.body['code']).toBe('push_suspended');
    expect((await admin('GET', '/v1/users/dan/factors')).body['pushSuspendedUntil']).toEqual(expect.any(String));
  });

  it('lets the login system cancel, and expires what nobody answers', async () => {
    const phone = await enrollPhone('fay');
    const cancelled = await firstPush('fay');
    expect((await login.cancel(String(cancelled.body['challengeId']))).status).toBe(204);
    expect((await login.result(String(cancelled.body['challengeId']))).body).toMatchObject({ status: 'cancelled' });
    const ignored = await login.startPush('fay');
    const result = await login.result(String(ignored.body['challengeId']), 25);
    expect(result.body).toMatchObject({ status: 'expired' });
    const late = await phone.request<{ code?: string }>(stack.services.verification, 'POST', `/v1/device/challenges/${ignored.body['challengeId']}/response`, { decision: 'deny' });
    expect(late.status).toBe(410);
  });

  it('replaces a device with a TOTP proof; the old device is then refused', async () => {
    const old = await enrollPhone('gus');
    const started = await admin('POST', '/v1/users/gus/totp-enrollments', {});
    const secret = String(started.body['secret']);
    await admin('POST', `/v1/users/gus/totp-enrollments/${started.body['enrollmentId']}/confirm`, { code: totpCode(secret) });
    expect((await admin('POST', '/v1/users/gus/push-enrollments', {})).status).toBe(409);
    const proof = await login.verifyTotp('gus', totpCode(secret, new Date(Date.now() + 30_000)));
    expect(proof.status).toBe(200);
    const verificationId = String(proof.body['verificationId']);
    const replacement = await waitFor(async () => {
      const answer = await admin('POST', '/v1/users/gus/push-enrollments', { proofId: verificationId });
      return answer.status === 201 ? answer : undefined;
    }, { timeoutMs: 20_000, what: 'the proof to reach the enrollment service' });
    const phone = await VigilDevice.activate(String(replacement.body['activationUri']), { platform: 'android', pushToken: null });
    expect(phone.deviceId).not.toBe(old.deviceId);
    expect((await old.request(stack.services.enrollment, 'PUT', '/v1/device/push-token', { pushToken: null })).status).toBe(401);
  });

  it('enrolls TOTP and verifies a code once', async () => {
    const started = await admin('POST', '/v1/users/eva/totp-enrollments', { issuer: 'Acme' });
    const secret = String(started.body['secret']);
    const confirming = totpCode(secret);
    expect((await admin('POST', `/v1/users/eva/totp-enrollments/${started.body['enrollmentId']}/confirm`, { code: confirming })).status).toBe(200);
    // The code that confirmed the enrollment is spent (CONTRACT §4 v2).
    expect((await login.verifyTotp('eva', confirming)).body).toMatchObject({ valid: false, reason: 'reused_code' });
    const next = totpCode(secret, new Date(Date.now() + 30_000));
    // Right after the confirm answered (CONTRACT §2).
    const verified = await login.verifyTotp('eva', next);
    expect(verified.body).toMatchObject({ valid: true, reason: null, verificationId: expect.any(String) });
    expect((await login.verifyTotp('eva', next)).body).toMatchObject({ valid: false, reason: 'reused_code' });
  });

  it('TOTP locks after five wrong codes', async () => {
    const started = await admin('POST', '/v1/users/ivo/totp-enrollments', {});
    const secret = String(started.body['secret']);
    await admin('POST', `/v1/users/ivo/totp-enrollments/${started.body['enrollmentId']}/confirm`, { code: totpCode(secret) });
    const wrong = String((Number(totpCode(secret)) + 500_000) % 1_000_000).padStart(6, '0');
    expect((await login.verifyTotp('ivo', wrong)).body).toMatchObject({ valid: false, reason: 'invalid_code' });
    for (let failure = 2; failure <= 5; failure += 1) expect((await login.verifyTotp('ivo', wrong)).body).toMatchObject({ valid: false, reason: 'invalid_code' });
    const locked = await login.verifyTotp('ivo', totpCode(secret, new Date(Date.now() + 30_000)));
    expect(locked.status).toBe(429);
    expect(locked.body['code']).toBe('throttled');
    expect(locked.retryAfterSeconds).toBeGreaterThan(0);
  });

  it('a fraud report ends the challenge, raises a critical alert and suspends pushes', async () => {
    const phone = await enrollPhone('joe');
    const push = await firstPush('joe');
    const { response } = await answerOnPhone(phone, 'report');
    expect(response.body).toEqual({ status: 'reported' });
    expect((await login.result(String(push.body['challengeId']), 10)).body).toMatchObject({ status: 'reported' });
    const alert = await waitFor(async () => {
      const answer = await admin('GET', '/v1/alerts?userId=joe', undefined, 'dev-soc-key', 'anomaly-detection');
      return (answer.body['alerts'] as { rule: string; severity: string }[]).find((found) => found.rule === 'fraud_reported');
    }, { timeoutMs: 30_000, what: 'a fraud_reported alert' });
    expect(alert.severity).toBe('critical');
    await waitFor(async () => (await login.startPush('joe')).status === 423 || undefined, { timeoutMs: 20_000, what: 'the suspension' });
  });

  it('FCM mode: the push goes out through firebase-admin; a dead token moves the phone to poll mode', async () => {
    const token = `fcm-token-kim-${Date.now()}`;
    const started = await admin('POST', '/v1/users/kim/push-enrollments', {});
    const phone = await VigilDevice.activate(String(started.body['activationUri']), { platform: 'android', pushToken: token });
    expect((await admin('GET', '/v1/users/kim/factors')).body['push']).toMatchObject({ channel: 'fcm' });

    const push = await firstPush('kim');
    const challengeId = String(push.body['challengeId']);
    const [delivered] = await waitFor(async () => {
      const sent = await pushesTo(token);
      return sent.length > 0 ? sent : undefined;
    }, { timeoutMs: 20_000, what: 'the push at the fake FCM' });
    // It reached "Google" over TLS through the egress proxy, authorised by a token from the service account's JWT.
    expect(delivered?.host).toBe('fcm.googleapis.com');
    expect(delivered?.authorization).toMatch(/^Bearer /);
    expect(delivered?.message.data).toEqual({ type: 'vigil.challenge', challengeId, tenantId: 'acme' });
    expect(delivered?.message.android.priority).toBe('high');

    // The phone woke up on the push: it reads that challenge and answers it.
    const details = await phone.request<SignedPayload>(stack.services.verification, 'GET', `/v1/device/challenges/${challengeId}`);
    expect(details.status).toBe(200);
    expect(await phone.verifyServerPayload(details.body)).toMatchObject({ challengeId, userId: 'kim' });
    const answer = await phone.request(stack.services.verification, 'POST', `/v1/device/challenges/${challengeId}/response`, { decision: 'approve', numberMatch: String(push.body['numberMatch']) });
    expect(answer.body).toEqual({ status: 'approved' });

    await fetch(`${fakeFcmUrl}/fake/replies/${token}`, { method: 'PUT', body: JSON.stringify({ kind: 'error', httpStatus: 404, status: 'NOT_FOUND', errorCode: 'UNREGISTERED' }) });
    await login.startPush('kim');
    await waitFor(async () => ((await admin('GET', '/v1/users/kim/factors')).body['push'] as { channel: string }).channel === 'poll' || undefined,
      { timeoutMs: 20_000, what: 'the device to fall back to poll mode' });
  });

  it('exposes metrics that promtool finds clean, in every service', async () => {
    for (const [name, url] of Object.entries(stack.services)) {
      const problems = await promtoolProblems(await (await fetch(`${url}/metrics`)).text());
      expect(problems, name).toEqual([]);
    }
  });

  it('counts what happened in each service\'s /metrics', async () => {
    const metrics = async (service: keyof typeof stack.services) => (await fetch(`${stack.services[service]}/metrics`)).text();
    const verification = await metrics('verification');
    expect(verification).toMatch(/vigil_challenge_outcomes_total\{status="approved",reason="",service="verification"\} [1-9]/);
    expect(verification).toMatch(/vigil_challenge_outcomes_total\{status="denied",reason="number_mismatch",service="verification"\} [1-9]/);
    expect(verification).toMatch(/vigil_totp_verifications_total\{result="reused_code",service="verification"\} [1-9]/);
    expect(verification).toMatch(/vigil_consumer_lag_messages\{group="[^"]+",topic="vigil\.challenges\.v1",partition="\d+",service="verification"\} \d+/);
    const challenge = await metrics('challenge');
    expect(challenge).toMatch(/vigil_challenges_created_total\{delivery="quiet",reason="user_per_minute",service="challenge"\} [1-9]/);
    expect(challenge).toMatch(/vigil_challenge_outcomes_total\{status="expired",reason="",service="challenge"\} [1-9]/);
    expect(await metrics('anomaly-detection')).toMatch(/vigil_fatigue_alerts_total\{rule="fatigue_acceptance",severity="critical",service="anomaly-detection"\} [1-9]/);
    expect(await metrics('notification')).toMatch(/vigil_push_send_seconds_count\{service="notification",outcome="sent"\} [1-9]/);
  });
});
