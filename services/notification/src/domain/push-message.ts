/** The FCM HTTP v1 message for one challenge, in firebase-admin's `Message` shape. */
export interface PushMessage {
  token: string;
  data: { type: 'vigil.challenge'; challengeId: string; tenantId: string };
  android: { priority: 'high'; ttl: number };
  apns: { headers: Record<string, string>; payload: { aps: { alert: { title: string; body: string }; sound: string; 'mutable-content': number } } };
}

export interface ChallengeToPush {
  challengeId: string;
  tenantId: string;
  expiresAt: Date;
}

/**
 * CONTRACT §3: the push is only a wake-up. It carries no user, number or context: the phone fetches the details over
 * the signed API, so a compromised push channel learns nothing it could use. It lives exactly as long as the
 * challenge (Android TTL, APNs expiration), and shows an alert so that iOS displays it.
 */
export function pushMessage(challenge: ChallengeToPush, token: string, now: Date): PushMessage {
  const remainingMs = Math.max(0, challenge.expiresAt.getTime() - now.getTime());
  return {
    token,
    data: { type: 'vigil.challenge', challengeId: challenge.challengeId, tenantId: challenge.tenantId },
    android: { priority: 'high', ttl: remainingMs },
    apns: {
      headers: { 'apns-priority': '10', 'apns-push-type': 'alert', 'apns-expiration': String(Math.floor(challenge.expiresAt.getTime() / 1000)) },
      payload: { aps: { alert: { title: 'Sign-in request', body: 'Open Vigil to review it' }, sound: 'default', 'mutable-content': 1 } },
    },
  };
}

export type SendFailureKind = 'token_invalid' | 'retryable' | 'permanent';

// firebase-admin error codes (FCM HTTP v1 errors): which ones a retry can fix, which mean the token is dead.
const TOKEN_INVALID = new Set([
  'messaging/registration-token-not-registered',
  'messaging/invalid-registration-token',
  'messaging/mismatched-credential',
]);
const RETRYABLE = new Set([
  'messaging/server-unavailable',
  'messaging/internal-error',
  'messaging/message-rate-exceeded',
  'messaging/device-message-rate-exceeded',
  'messaging/quota-exceeded',
  'messaging/unknown-error',
  'app/network-error',
  'app/network-timeout',
]);

export function classifyFailure(code: string): SendFailureKind {
  if (TOKEN_INVALID.has(code)) return 'token_invalid';
  if (RETRYABLE.has(code)) return 'retryable';
  return 'permanent';
}

export interface RetryPolicy {
  maxAttempts: number;
  baseMs: number;
  maxMs: number;
}

/**
 * Delay before the next attempt: exponential with full jitter, at least what the server asked (Retry-After), and
 * null when the next try would land after the challenge expired (a late push only confuses the user).
 */
export function nextDelayMs(attempt: number, retryAfterMs: number | null, remainingMs: number, policy: RetryPolicy, random = Math.random): number | null {
  if (attempt >= policy.maxAttempts) return null;
  const backoff = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1)) * random();
  const delay = Math.max(backoff, retryAfterMs ?? 0);
  // The retry must leave the push at least a second to live (FCM rounds its TTL down to whole seconds).
  return delay + 1_000 <= remainingMs ? delay : null;
}
