// CONTRACT §7: the rules, their settings and their severities. The decisions themselves are in detections.ts; the
// settings' values come from the service config (config.ts), the one place their defaults live.

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
