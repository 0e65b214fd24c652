import { describe, expect, it } from 'vitest';
import { loadConfig } from '@vigil/config';
import { DEFAULT_RULES, ruleSettings, serviceSpec } from '../src/config.ts';

describe('rule settings', () => {
  it('default to CONTRACT §7\'s thresholds', () => {
    expect(DEFAULT_RULES).toEqual({
      pushBurst: { count: 5, windowMs: 10 * 60_000 },
      denialStreak: { count: 3, windowMs: 10 * 60_000 },
      fatigueAcceptance: { misses: 3, windowMs: 15 * 60_000, suspendMs: 60 * 60_000 },
      fraudReported: { suspendMs: 24 * 60 * 60_000 },
      ipSpray: { distinctIps: 3, windowMs: 10 * 60_000 },
      impossibleTravel: { maxKmh: 900 },
      crossUserSpray: { distinctUsers: 10, windowMs: 10 * 60_000 },
      responseFlood: { count: 5, windowMs: 10 * 60_000 },
      dedupMs: 15 * 60_000,
    });
  });

  it('take each variable in its unit', () => {
    const rules = ruleSettings(loadConfig(serviceSpec, { PUSH_BURST_WINDOW_SECONDS: '30', FATIGUE_SUSPEND_MINUTES: '2', FRAUD_SUSPEND_HOURS: '3', ALERT_DEDUP_MINUTES: '4' }));
    expect(rules.pushBurst.windowMs).toBe(30_000);
    expect(rules.fatigueAcceptance.suspendMs).toBe(120_000);
    expect(rules.fraudReported.suspendMs).toBe(3 * 3_600_000);
    expect(rules.dedupMs).toBe(240_000);
  });
});
