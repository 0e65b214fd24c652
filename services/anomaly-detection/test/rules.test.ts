import { describe, expect, it } from 'vitest';
import { detectionFinding } from '../src/domain/ocsf-finding.ts';
import { DEFAULT_RULES, haversineKm, impliedKmh, isImpossibleTravel, updatedCount } from '../src/domain/rules.ts';

const PARIS = { lat: 48.8566, lon: 2.3522 };
const NEW_YORK = { lat: 40.7128, lon: -74.006 };

describe('impossible travel', () => {
  it('measures great-circle distance', () => {
    expect(haversineKm(PARIS, NEW_YORK)).toBeGreaterThan(5_820);
    expect(haversineKm(PARIS, NEW_YORK)).toBeLessThan(5_850);
    expect(haversineKm(PARIS, PARIS)).toBe(0);
  });

  it('flags more than 900 km/h and nothing slower', () => {
    const at = Date.now();
    expect(impliedKmh({ ...PARIS, at }, { ...NEW_YORK, at: at + 3_600_000 })).toBeGreaterThan(5_000);
    expect(isImpossibleTravel({ ...PARIS, at }, { ...NEW_YORK, at: at + 10 * 60_000 }, DEFAULT_RULES)).toBe(true);
    expect(isImpossibleTravel({ ...PARIS, at }, { ...NEW_YORK, at: at + 8 * 3_600_000 }, DEFAULT_RULES)).toBe(false);
    expect(isImpossibleTravel(null, { ...NEW_YORK, at }, DEFAULT_RULES)).toBe(false);
  });
});

describe('alert counts', () => {
  it('counts detections for one-off rules and window sizes for the others', () => {
    expect(updatedCount('fraud_reported', 1, 1)).toBe(2);
    expect(updatedCount('push_burst', 5, 6)).toBe(6);
    expect(updatedCount('push_burst', 7, 6)).toBe(7);
  });
});

describe('OCSF Detection Finding', () => {
  it('has the base and class attributes OCSF requires', () => {
    const at = new Date();
    const finding = detectionFinding({
      alertId: 'a-1', tenantId: 'acme', userId: 'alice', rule: 'push_burst', severity: 'high', status: 'updated', count: 6,
      firstSeenAt: at, lastSeenAt: at, sourceIps: ['203.0.113.9'], challengeIds: ['c-1'], mitigation: null,
    });
    expect(finding).toMatchObject({
      activity_id: 2, category_uid: 2, class_uid: 2004, type_uid: 200402, severity_id: 4, time: at.getTime(),
      metadata: { version: expect.stringMatching(/^1\./), product: { name: 'Vigil', vendor_name: 'Vigil' } },
      finding_info: { uid: 'a-1', title: expect.any(String) },
    });
  });
});
