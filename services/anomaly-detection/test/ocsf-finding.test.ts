import { describe, expect, it } from 'vitest';
import { loadOcsfSchema, ocsfProblems } from '@vigil/testkit';
import { validateEvent, createEvent, sourceOf } from '@vigil/events';
import { detectionFinding, type FindingInput } from '../src/domain/ocsf-finding.ts';
import { SEVERITY, type Rule } from '../src/domain/rules.ts';

const schema = loadOcsfSchema();
const RULES = Object.keys(SEVERITY) as Rule[];
const at = new Date('2026-12-06T10:00:00Z');

function input(rule: Rule, overrides: Partial<FindingInput> = {}): FindingInput {
  return {
    alertId: 'a-1', tenantId: 'acme', userId: 'alice', rule, severity: SEVERITY[rule], status: 'open', count: 5,
    firstSeenAt: new Date(at.getTime() - 60_000), lastSeenAt: at, sourceIps: ['203.0.113.9', '2001:db8::1'], challengeIds: ['c-1'], mitigation: null,
    ...overrides,
  };
}

describe('OCSF 1.3.0 Detection Finding, checked against the compiled official schema', () => {
  it.each(RULES)('%s: opened, updated, with and without source addresses and mitigation, has no problem', (rule) => {
    for (const overrides of [{}, { status: 'updated' as const }, { sourceIps: [] }, { mitigation: { action: 'suspend_push' as const, until: at.toISOString() } }]) {
      const finding = detectionFinding(input(rule, overrides));
      expect(ocsfProblems(schema, finding as unknown as Record<string, unknown>), JSON.stringify(overrides)).toEqual([]);
      // And the alert that carries it passes the event's own (stricter) schema.
      const alert = createEvent('vigil.fatigue.alert', {
        alertId: 'a-1', tenantId: 'acme', userId: 'alice', rule, severity: SEVERITY[rule], status: overrides.status ?? 'open', count: 5, windowSeconds: 600,
        firstSeenAt: at.toISOString(), lastSeenAt: at.toISOString(), challengeIds: ['c-1'], sourceIps: finding.evidences.flatMap((evidence) => (evidence.src_endpoint ? [evidence.src_endpoint.ip] : [])),
        mitigation: overrides.mitigation ?? null, ocsf: finding,
      }, { source: sourceOf('anomaly-detection') });
      expect(validateEvent(alert).ok).toBe(true);
    }
  });

  it('maps open to Create and updated to Update, both New, with the severity and confidence captions OCSF gives their ids', () => {
    expect(detectionFinding(input('fatigue_acceptance'))).toMatchObject({ activity_id: 1, type_uid: 200401, status_id: 1, status: 'New', severity_id: 5, severity: 'Critical', confidence_id: 3 });
    expect(detectionFinding(input('ip_spray', { status: 'updated' }))).toMatchObject({ activity_id: 2, type_uid: 200402, status_id: 1, severity_id: 3, confidence_id: 2, confidence: 'Medium' });
  });

  it('finds the four problems the previous shape had (the check can fail)', () => {
    const previous = {
      ...detectionFinding(input('push_burst')),
      evidences: undefined, resources: undefined,
      finding_info: { ...detectionFinding(input('push_burst')).finding_info, related_events_count: 5 },
      actor: { user: { uid: 'alice', name: 'alice' } },
      observables: [{ name: 'actor.user.uid', type_id: 4, type: 'User Name', value: 'alice' }, { name: 'src_endpoint.ip', type_id: 2, type: 'IP Address', value: '203.0.113.9' }],
    };
    const problems = ocsfProblems(schema, JSON.parse(JSON.stringify(previous)) as Record<string, unknown>);
    expect(problems).toEqual([
      'finding_info.related_events_count: not an attribute here',
      'actor: needs profile host in metadata.profiles',
      'observables[0]: actor.user.uid is observable type none, not 4',
      'observables[1].name: src_endpoint.ip names no attribute of the class',
    ]);
  });

  it('has the base and class attributes OCSF requires', () => {
    const finding = detectionFinding(input('push_burst', { status: 'updated', count: 6, firstSeenAt: at, sourceIps: ['203.0.113.9'] }));
    expect(finding).toMatchObject({
      activity_id: 2, category_uid: 2, class_uid: 2004, type_uid: 200402, severity_id: 4, time: at.getTime(),
      metadata: { version: expect.stringMatching(/^1\./), product: { name: 'Vigil', vendor_name: 'Vigil' } },
      finding_info: { uid: 'a-1', title: expect.any(String) },
    });
  });
});
