// CONTRACT §7 rules, as pure decisions over what the adapters counted in the user's windows.

export type Rule = 'push_burst' | 'denial_streak' | 'fatigue_acceptance' | 'fraud_reported' | 'ip_spray' | 'impossible_travel' | 'cross_user_spray' | 'response_flood';
export type Severity = 'low' | 'medium' | 'high' | 'critical';

export interface RuleSettings {
  pushBurst: { count: number; windowMs: number };
  denialStreak: { count: number; windowMs: number };
  fatigueAcceptance: { misses: number; windowMs: number; suspendMs: number };
  fraudReported: { suspendMs: number };
  ipSpray: { distinctIps: number; windowMs: number };
  impossibleTravel: { maxKmh: number };
  crossUserSpray: { distinctUsers: number; windowMs: number };
  responseFlood: { count: number; windowMs: number };
  dedupMs: number;
}

export const DEFAULT_RULES: RuleSettings = {
  pushBurst: { count: 5, windowMs: 10 * 60_000 },
  denialStreak: { count: 3, windowMs: 10 * 60_000 },
  fatigueAcceptance: { misses: 3, windowMs: 15 * 60_000, suspendMs: 60 * 60_000 },
  fraudReported: { suspendMs: 24 * 60 * 60_000 },
  ipSpray: { distinctIps: 3, windowMs: 10 * 60_000 },
  impossibleTravel: { maxKmh: 900 },
  crossUserSpray: { distinctUsers: 10, windowMs: 10 * 60_000 },
  responseFlood: { count: 5, windowMs: 10 * 60_000 },
  dedupMs: 15 * 60_000,
};

export const SEVERITY: Record<Rule, Severity> = {
  push_burst: 'high',
  denial_streak: 'medium',
  fatigue_acceptance: 'critical',
  fraud_reported: 'critical',
  ip_spray: 'medium',
  impossible_travel: 'medium',
  cross_user_spray: 'high',
  response_flood: 'high',
};

export const TITLES: Record<Rule, string> = {
  push_burst: 'Push burst: many MFA pushes for one user',
  denial_streak: 'Denial streak: pushes denied or left to expire',
  fatigue_acceptance: 'MFA fatigue: approval after repeated denied pushes',
  fraud_reported: 'User reported a push as fraudulent',
  ip_spray: 'Pushes for one user from several source IPs',
  impossible_travel: 'Impossible travel between sign-in locations',
  cross_user_spray: 'One source IP pushing many users',
  response_flood: 'Flood of rejected device responses',
};

export interface Location {
  lat: number;
  lon: number;
  at: number;
}

const EARTH_RADIUS_KM = 6371.0088;
const toRad = (degrees: number) => (degrees * Math.PI) / 180;

/** Great-circle distance (haversine). */
export function haversineKm(a: Pick<Location, 'lat' | 'lon'>, b: Pick<Location, 'lat' | 'lon'>): number {
  const dLat = toRad(b.lat - a.lat);
  const dLon = toRad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(toRad(a.lat)) * Math.cos(toRad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Speed the two sign-ins imply; a zero interval between distinct places is infinitely fast. */
export function impliedKmh(from: Location, to: Location): number {
  const km = haversineKm(from, to);
  const hours = Math.abs(to.at - from.at) / 3_600_000;
  if (hours === 0) return km > 1 ? Number.POSITIVE_INFINITY : 0;
  return km / hours;
}

export function isImpossibleTravel(from: Location | null, to: Location, settings: RuleSettings): boolean {
  return from !== null && impliedKmh(from, to) > settings.impossibleTravel.maxKmh;
}

// Rules that detect one thing per event count detections; the others report the size of their window.
const COUNTS_DETECTIONS: ReadonlySet<Rule> = new Set(['fraud_reported', 'impossible_travel']);

/** The count an updated alert shows. */
export function updatedCount(rule: Rule, previous: number, observed: number): number {
  return COUNTS_DETECTIONS.has(rule) ? previous + 1 : Math.max(previous, observed);
}
