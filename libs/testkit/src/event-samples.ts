import { randomUUID } from 'node:crypto';
import { createEvent, EVENT_REGISTRY, sourceOf, type CloudEvent, type EventData, type EventType } from '@vigil/events';

const now = () => new Date().toISOString();
const later = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();
const PUBLIC_KEY = 'A'.repeat(43);

/** A valid `data` for every event type, for tests; override what the test is about. */
export function sampleData<T extends EventType>(type: T, user: { tenantId: string; userId: string }): EventData<T> {
  const challengeId = randomUUID();
  const context = { ip: '203.0.113.7', userAgent: 'test', application: 'vpn' };
  const samples: { [K in EventType]: EventData<K> } = {
    'vigil.push.enrollment-started': { ...user, enrollmentId: randomUUID(), expiresAt: later(600), replace: false, proofId: null },
    'vigil.push.device-activated': {
      ...user, enrollmentId: randomUUID(), deviceId: randomUUID(), platform: 'android', channel: 'fcm',
      deviceName: 'Pixel', appVersion: '1.0.0', activatedAt: now(), replacedDeviceId: null,
    },
    'vigil.push.device-revoked': { ...user, deviceId: randomUUID(), reason: 'admin', revokedAt: now() },
    'vigil.push.token-updated': { ...user, deviceId: randomUUID(), channel: 'poll', updatedAt: now() },
    'vigil.totp.enrolled': { ...user, enrollmentId: randomUUID(), enrolledAt: now() },
    'vigil.totp.removed': { ...user, removedAt: now() },
    'vigil.factors.snapshot': {
      ...user, version: 1, updatedAt: now(), totp: null,
      push: { deviceId: randomUUID(), publicKey: PUBLIC_KEY, platform: 'ios', channel: 'poll', pushToken: null, deviceName: null, enrolledAt: now() },
    },
    'vigil.challenge.created': {
      ...user, challengeId, deviceId: randomUUID(), numberMatch: '428193', numberMatchDigits: 6, createdAt: now(), expiresAt: later(60), context, delivery: 'push',
    },
    'vigil.challenge.throttled': { ...user, rule: 'ip_per_minute', retryAfterSeconds: 30, context, throttledAt: now() },
    'vigil.challenge.expired': { ...user, challengeId, deviceId: null, expiredAt: now(), context },
    'vigil.challenge.cancelled': { ...user, challengeId, cancelledAt: now() },
    'vigil.notification.sent': { ...user, challengeId, deviceId: randomUUID(), attempts: 1, latencyMs: 12, messageId: 'm-1', sentAt: now() },
    'vigil.notification.failed': {
      ...user, challengeId, deviceId: randomUUID(), attempts: 3, latencyMs: 900, errorCode: 'messaging/internal-error', retryable: true, failedAt: now(),
    },
    'vigil.notification.token-invalid': { ...user, deviceId: randomUUID(), challengeId, errorCode: 'messaging/registration-token-not-registered', detectedAt: now() },
    'vigil.challenge.approved': { ...user, challengeId, deviceId: randomUUID(), decidedAt: now(), context },
    'vigil.challenge.denied': { ...user, challengeId, deviceId: randomUUID(), decidedAt: now(), context, reason: 'user_denied' },
    'vigil.challenge.reported': { ...user, challengeId, deviceId: randomUUID(), decidedAt: now(), context },
    'vigil.response.rejected': { ...user, challengeId, deviceId: null, reason: 'invalid_signature', sourceIp: null, rejectedAt: now() },
    'vigil.totp.verified': { ...user, verificationId: randomUUID(), verifiedAt: now() },
    'vigil.totp.failed': { ...user, reason: 'invalid_code', consecutiveFailures: 1, lockedUntil: null, failedAt: now() },
    'vigil.fatigue.alert': {
      ...user, alertId: randomUUID(), rule: 'push_burst', severity: 'high', status: 'open', count: 5, windowSeconds: 600,
      firstSeenAt: now(), lastSeenAt: now(), challengeIds: [challengeId], sourceIps: ['203.0.113.7'], mitigation: null,
      ocsf: {
        activity_id: 1, activity_name: 'Create', type_uid: 200401, type_name: 'Detection Finding: Create', category_uid: 2, category_name: 'Findings',
        class_uid: 2004, class_name: 'Detection Finding', severity_id: 4, severity: 'High', status_id: 1, status: 'New', confidence_id: 3, confidence: 'High',
        time: Date.now(), count: 5, message: 'Push burst (5)',
        metadata: { version: '1.3.0', product: { name: 'Vigil', vendor_name: 'Vigil', uid: 'vigil', version: '0.1.0', feature: { name: 'anomaly-detection' } }, log_name: 'vigil.fatigue-alerts.v1', tenant_uid: user.tenantId },
        finding_info: {
          uid: randomUUID(), title: 'Push burst', desc: 'Push burst: 5', types: ['MFA Fatigue'], first_seen_time: Date.now(), last_seen_time: Date.now(),
          analytic: { name: 'push_burst', uid: 'push_burst', type_id: 1, type: 'Rule' },
        },
        evidences: [{ user: { name: user.userId, uid: user.userId, type_id: 1, type: 'User' }, src_endpoint: { ip: '203.0.113.7' } }],
        resources: [{ type: 'User', uid: user.userId, name: user.userId }],
        observables: [{ name: 'evidences.user.name', type_id: 4, type: 'User Name', value: user.userId }, { name: 'evidences.src_endpoint.ip', type_id: 2, type: 'IP Address', value: '203.0.113.7' }],
        unmapped: { challenge_ids: [challengeId] },
      },
    },
    'vigil.user.push-suspended': { ...user, until: later(3600), rule: 'fatigue_acceptance', alertId: null, suspendedAt: now() },
    'vigil.user.push-restored': { ...user, restoredAt: now(), by: 'admin' },
    'vigil.policy.updated': {
      tenantId: user.tenantId, updatedAt: now(), conformance: { nist80063b4: true, findings: [] },
      policy: {
        numberMatchDigits: 6, challengeTtlSeconds: 60, pushesPerMinute: 3, pushesPerHour: 10, pushesSinceSuccess: 10, quietPerHour: 60,
        cooldown: { afterMisses: 3, initialSeconds: 300, maxSeconds: 3600 },
      },
    },
  };
  return samples[type];
}

export function sampleEvent<T extends EventType>(
  type: T,
  user: { tenantId: string; userId: string } = { tenantId: 'acme', userId: `user-${randomUUID().slice(0, 8)}` },
  override: Partial<EventData<T>> = {},
): CloudEvent<T> {
  return createEvent(type, { ...sampleData(type, user), ...override }, { source: sourceOf(EVENT_REGISTRY[type].producer) });
}
