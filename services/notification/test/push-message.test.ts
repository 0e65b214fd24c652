import { describe, expect, it } from 'vitest';
import { classifyFailure, nextDelayMs, pushMessage } from '../src/domain/push-message.ts';
import { fcmMessageProblems } from '@vigil/testkit';

describe('push message', () => {
  it('carries only the wake-up data, and lives as long as the challenge', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const message = pushMessage({ challengeId: 'c-1', tenantId: 'acme', expiresAt: new Date(now.getTime() + 45_000) }, 'tok', now);
    expect(message.data).toEqual({ type: 'vigil.challenge', challengeId: 'c-1', tenantId: 'acme' });
    expect(message.android).toEqual({ priority: 'high', ttl: 45_000 });
    expect(message.apns.headers['apns-expiration']).toBe(String(now.getTime() / 1000 + 45));
    expect(message.apns.payload.aps.alert.title).toBe('Sign-in request');
  });
});

describe('retry policy', () => {
  const policy = { maxAttempts: 5, baseMs: 200, maxMs: 5_000 };
  it('classifies FCM errors', () => {
    expect(classifyFailure('messaging/registration-token-not-registered')).toBe('token_invalid');
    expect(classifyFailure('messaging/server-unavailable')).toBe('retryable');
    expect(classifyFailure('messaging/internal-error')).toBe('retryable');
    expect(classifyFailure('messaging/message-rate-exceeded')).toBe('retryable');
    expect(classifyFailure('messaging/invalid-argument')).toBe('permanent');
  });

  it('backs off with jitter, honours Retry-After, and never retries past expiry', () => {
    expect(nextDelayMs(1, null, 60_000, policy, () => 1)).toBe(200);
    expect(nextDelayMs(3, null, 60_000, policy, () => 1)).toBe(800);
    expect(nextDelayMs(3, null, 60_000, policy, () => 0.5)).toBe(400);
    expect(nextDelayMs(2, 3_000, 60_000, policy, () => 1)).toBe(3_000);
    expect(nextDelayMs(2, 3_000, 2_000, policy, () => 1)).toBeNull();
    expect(nextDelayMs(5, null, 60_000, policy, () => 1)).toBeNull();
    // A retry must leave the push a whole second to live: FCM rounds its TTL down to seconds.
    expect(nextDelayMs(1, null, 1_200, policy, () => 1)).toBe(200);
    expect(nextDelayMs(1, null, 1_199, policy, () => 1)).toBeNull();
  });
});

describe('FCM v1 message checks of the fake FCM', () => {
  const body = (message: Record<string, unknown>) => ({ message });
  it('accepts the message the notification service sends, in the wire form firebase-admin gives it', () => {
    expect(fcmMessageProblems(body({
      token: 'tok', data: { type: 'vigil.challenge', challengeId: 'c-1', tenantId: 'acme' }, android: { priority: 'high', ttl: '45s' },
      apns: { headers: { 'apns-priority': '10', 'apns-push-type': 'alert', 'apns-expiration': '1767225645' }, payload: { aps: { alert: { title: 't', body: 'b' } } } },
    }))).toEqual([]);
  });

  it('refuses what FCM refuses: no or two targets, non-string data, reserved keys, bad ttl, unknown fields', () => {
    expect(fcmMessageProblems(body({ data: { a: 'b' } }))).toContain('message: exactly one of token, topic or condition (got 0)');
    expect(fcmMessageProblems(body({ token: 't', topic: 'x' }))).toContain('message: exactly one of token, topic or condition (got 2)');
    expect(fcmMessageProblems(body({ token: 't', data: { count: 3 } }))).toContain('message.data.count: must be a string');
    expect(fcmMessageProblems(body({ token: 't', data: { from: 'x' } }))).toContain('message.data.from: reserved key');
    expect(fcmMessageProblems(body({ token: 't', android: { ttl: 45000 } }))).toContain('message.android.ttl: a duration such as "3.5s"');
    expect(fcmMessageProblems(body({ token: 't', android: { priority: 'urgent' } }))).toContain('message.android.priority: NORMAL or HIGH');
    expect(fcmMessageProblems(body({ token: 't', color: 'red' }))).toContain('message.color: unknown field');
    expect(fcmMessageProblems({ message: { token: 't' }, extra: 1 })).toContain('body.extra: unknown field');
  });
});
