import { describe, expect, it } from 'vitest';
import { ALL_TOPICS, EVENT_TYPES, EVENT_REGISTRY, TOPICS, createEvent, decodeEvent, encodeEvent, eventTypesOn, provenanceProblem, sourceOf, validateEvent, type VigilEvent } from '../src/index.ts';

const challengeCreated = (): VigilEvent =>
  createEvent('vigil.challenge.created', {
    tenantId: 'acme', userId: 'alice', challengeId: 'c-1', deviceId: 'd-1', numberMatch: '42', numberMatchDigits: 2,
    createdAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 60_000).toISOString(), context: { ip: '203.0.113.7' },
  }, { source: sourceOf('challenge') });

describe('event registry', () => {
  it('covers every event type of CONTRACT §8 on its topic', () => {
    const contract: Record<string, string[]> = {
      'vigil.enrollment.v1': ['vigil.push.enrollment-started', 'vigil.push.device-activated', 'vigil.push.device-revoked', 'vigil.push.token-updated', 'vigil.totp.enrolled', 'vigil.totp.removed'],
      'vigil.factors.v1': ['vigil.factors.snapshot'],
      'vigil.challenges.v1': ['vigil.challenge.created', 'vigil.challenge.throttled', 'vigil.challenge.expired', 'vigil.challenge.cancelled'],
      'vigil.notifications.v1': ['vigil.notification.sent', 'vigil.notification.failed', 'vigil.notification.token-invalid'],
      'vigil.verifications.v1': ['vigil.challenge.approved', 'vigil.challenge.denied', 'vigil.challenge.reported', 'vigil.response.rejected', 'vigil.totp.verified', 'vigil.totp.failed'],
      'vigil.fatigue-alerts.v1': ['vigil.fatigue.alert'],
      'vigil.user-risk.v1': ['vigil.user.push-suspended', 'vigil.user.push-restored'],
      // v2: tenant policies (CONTRACT §5a), announced by the challenge service that applies them.
      'vigil.policies.v1': ['vigil.policy.updated'],
    };
    expect([...ALL_TOPICS].sort()).toEqual(Object.keys(contract).sort());
    for (const [topic, types] of Object.entries(contract)) {
      expect(eventTypesOn(topic as (typeof ALL_TOPICS)[number]).sort()).toEqual([...types].sort());
    }
  });

  it('accepts a valid event and round-trips it through bytes', () => {
    const event = challengeCreated();
    expect(validateEvent(event)).toEqual({ ok: true, event });
    expect(decodeEvent(encodeEvent(event))).toEqual({ ok: true, event });
  });

  it('rejects unknown types, extra fields, bad subjects and non-JSON', () => {
    const event = challengeCreated();
    expect(validateEvent({ ...event, type: 'vigil.nope' })).toMatchObject({ ok: false, error: expect.stringContaining('unknown event type') });
    expect(validateEvent({ ...event, data: { ...event.data, pushToken: 'x' } })).toMatchObject({ ok: false });
    expect(validateEvent({ ...event, subject: 'other:user' })).toMatchObject({ ok: false, error: expect.stringContaining('subject') });
    expect(validateEvent({ ...event, specversion: '0.3' })).toMatchObject({ ok: false });
    expect(decodeEvent('{')).toMatchObject({ ok: false, error: expect.stringContaining('not JSON') });
  });

  it('builds the CloudEvents envelope with key-equal subject', () => {
    const event = createEvent('vigil.totp.removed', { tenantId: 'acme', userId: 'bob', removedAt: new Date().toISOString() }, { source: 'urn:vigil:enrollment' });
    expect(event).toMatchObject({ specversion: '1.0', datacontenttype: 'application/json', subject: 'acme:bob', source: 'urn:vigil:enrollment' });
    expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('provenance (CONTRACT §8)', () => {
  it('names one producing service per event type, matching the contract\'s topic owners', () => {
    const owners: Record<string, string> = {
      [TOPICS.enrollment]: 'enrollment', [TOPICS.factors]: 'enrollment', [TOPICS.challenges]: 'challenge', [TOPICS.notifications]: 'notification',
      [TOPICS.verifications]: 'verification', [TOPICS.fatigueAlerts]: 'anomaly-detection', [TOPICS.userRisk]: 'anomaly-detection',
      [TOPICS.policies]: 'challenge',
    };
    for (const type of EVENT_TYPES) expect(EVENT_REGISTRY[type].producer, type).toBe(owners[EVENT_REGISTRY[type].topic]);
  });

  it('keys a tenant\'s policy by the tenant, however short its id', () => {
    const policy = createEvent('vigil.policy.updated', {
      tenantId: 'ab', updatedAt: new Date().toISOString(), conformance: { nist80063b4: true, findings: [] },
      policy: { numberMatchDigits: 6, challengeTtlSeconds: 60, pushesPerMinute: 3, pushesPerHour: 10, pushesSinceSuccess: 10, quietPerHour: 60, cooldown: { afterMisses: 3, initialSeconds: 300, maxSeconds: 3600 } },
    }, { source: sourceOf('challenge') });
    expect(policy.subject).toBe('ab');
    expect(validateEvent(policy)).toEqual({ ok: true, event: policy });
  });

  it('refuses an event from another service or on another topic', () => {
    const event = challengeCreated();
    expect(provenanceProblem(event, TOPICS.challenges)).toBeNull();
    expect(provenanceProblem({ ...event, source: sourceOf('verification') }, TOPICS.challenges)).toMatch(/comes from urn:vigil:challenge/);
    expect(provenanceProblem({ ...event, source: 'urn:vigil:test' }, TOPICS.challenges)).toMatch(/not "urn:vigil:test"/);
    expect(provenanceProblem(event, TOPICS.factors)).toMatch(/travels on vigil.challenges.v1/);
  });
});
