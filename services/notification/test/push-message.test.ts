import { describe, expect, it } from 'vitest';
import { classifyFailure, nextDelayMs, pushMessage } from '../src/domain/push-message.ts';

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
  });
});
