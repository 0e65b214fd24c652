import { describe, expect, it } from 'vitest';
import { validateEvent, createEvent, sourceOf } from '@vigil/events';
import { alertEvents, openedAlert, updatedAlert, updatedCount } from '../src/domain/alert.ts';
import type { Detection } from '../src/domain/detections.ts';

const NOW = Date.parse('2026-12-06T10:00:00.000Z');

function detection(overrides: Partial<Detection> = {}): Detection {
  return {
    tenantId: 'acme', userId: 'alice', rule: 'push_burst', count: 5, windowMs: 600_000, at: new Date(NOW), firstSeenAt: new Date(NOW - 240_000),
    challengeIds: ['c-1', 'c-2'], sourceIps: ['203.0.113.7'], mitigation: null, dedupKey: 'acme:alice:push_burst', ...overrides,
  };
}
const suspension = { action: 'suspend_push' as const, until: new Date(NOW + 3_600_000).toISOString() };

describe('an opened alert', () => {
  it('takes the rule\'s severity, the detection\'s counts and times, and an OCSF Create finding', () => {
    const alert = openedAlert(detection(), 'a-1');
    expect(alert).toMatchObject({
      alertId: 'a-1', tenantId: 'acme', userId: 'alice', rule: 'push_burst', severity: 'high', status: 'open', count: 5, windowSeconds: 600,
      firstSeenAt: new Date(NOW - 240_000).toISOString(), lastSeenAt: new Date(NOW).toISOString(), challengeIds: ['c-1', 'c-2'], mitigation: null,
    });
    expect(alert.ocsf).toMatchObject({ activity_id: 1, count: 5, finding_info: { uid: 'a-1' } });
    expect(validateEvent(createEvent('vigil.fatigue.alert', alert, { source: sourceOf('anomaly-detection') })).ok).toBe(true);
  });

  it('shows at least a count of one and a window of one second', () => {
    expect(openedAlert(detection({ count: 0, windowMs: 200 }), 'a-1')).toMatchObject({ count: 1, windowSeconds: 1 });
  });
});

describe('an updated alert', () => {
  const opened = openedAlert(detection({ mitigation: suspension, rule: 'fatigue_acceptance', count: 3 }), 'a-1');

  it('keeps its id, severity and first mitigation, grows its count and lists, and becomes an OCSF Update', () => {
    const later = detection({
      rule: 'fatigue_acceptance', count: 4, at: new Date(NOW + 60_000), challengeIds: ['c-2', 'c-3'], sourceIps: ['198.51.100.1'],
      mitigation: { action: 'suspend_push', until: new Date(NOW + 2 * 3_600_000).toISOString() },
    });
    const updated = updatedAlert(opened, later);
    expect(updated).toMatchObject({
      alertId: 'a-1', severity: 'critical', status: 'updated', count: 4, lastSeenAt: new Date(NOW + 60_000).toISOString(),
      challengeIds: ['c-1', 'c-2', 'c-3'], sourceIps: ['203.0.113.7', '198.51.100.1'], mitigation: suspension,
    });
    expect(updated.ocsf).toMatchObject({ activity_id: 2, type_uid: 200402, count: 4, finding_info: { uid: 'a-1' } });
  });

  it('widens its times for a late event and never moves them inwards', () => {
    const late = updatedAlert(opened, detection({ at: new Date(NOW - 120_000), firstSeenAt: new Date(NOW - 600_000) }));
    expect(late.firstSeenAt).toBe(new Date(NOW - 600_000).toISOString());
    expect(late.lastSeenAt).toBe(opened.lastSeenAt);
  });

  it('lists at most the latest 100 challenges', () => {
    const many = detection({ challengeIds: Array.from({ length: 150 }, (_, i) => `c-${i + 10}`) });
    const updated = updatedAlert(opened, many);
    expect(updated.challengeIds).toHaveLength(100);
    expect(updated.challengeIds.at(-1)).toBe('c-159');
  });

  it('counts detections for one-off rules and window sizes for the others', () => {
    expect(updatedCount('fraud_reported', 1, 1)).toBe(2);
    expect(updatedCount('impossible_travel', 2, 1)).toBe(3);
    expect(updatedCount('push_burst', 5, 6)).toBe(6);
    expect(updatedCount('push_burst', 7, 6)).toBe(7);
  });
});

describe('the events that announce an alert', () => {
  it('announce a suspension with the alert that opens it', () => {
    const found = detection({ rule: 'fraud_reported', mitigation: suspension });
    const alert = openedAlert(found, 'a-1');
    expect(alertEvents(alert, found)).toEqual([
      { type: 'vigil.fatigue.alert', data: alert },
      { type: 'vigil.user.push-suspended', data: { tenantId: 'acme', userId: 'alice', until: suspension.until, rule: 'fraud_reported', alertId: 'a-1', suspendedAt: new Date(NOW).toISOString() } },
    ]);
  });

  it('announce no second suspension with an update, and none for a rule without mitigation', () => {
    const found = detection({ rule: 'fraud_reported', mitigation: suspension });
    const updated = updatedAlert(openedAlert(found, 'a-1'), found);
    expect(alertEvents(updated, found).map((event) => event.type)).toEqual(['vigil.fatigue.alert']);
    expect(alertEvents(openedAlert(detection(), 'a-2'), detection()).map((event) => event.type)).toEqual(['vigil.fatigue.alert']);
  });
});
