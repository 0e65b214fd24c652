import { describe, expect, it } from 'vitest';
import { haversineKm, impliedKmh, isImpossibleTravel } from '../src/domain/travel.ts';

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
    expect(isImpossibleTravel({ ...PARIS, at }, { ...NEW_YORK, at: at + 10 * 60_000 }, 900)).toBe(true);
    expect(isImpossibleTravel({ ...PARIS, at }, { ...NEW_YORK, at: at + 8 * 3_600_000 }, 900)).toBe(false);
    expect(isImpossibleTravel(null, { ...NEW_YORK, at }, 900)).toBe(false);
  });

  it('calls two distinct places at the same instant infinitely fast, and one place at rest', () => {
    const at = Date.now();
    expect(impliedKmh({ ...PARIS, at }, { ...NEW_YORK, at })).toBe(Number.POSITIVE_INFINITY);
    expect(impliedKmh({ ...PARIS, at }, { ...PARIS, at })).toBe(0);
  });
});
