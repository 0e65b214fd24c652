import { int, port } from '@vigil/config';
import type { ConfigOf } from '@vigil/config';
import type { RuleSettings } from './domain/rules.ts';

/** Settings of the anomaly-detection service; rule thresholds default to CONTRACT §7 (docs/soc.md explains tuning). */
export const serviceSpec = {
  ANOMALY_PORT: port({ default: 8085 }),
  PUSH_BURST_COUNT: int({ default: 5, min: 2, max: 10_000 }),
  PUSH_BURST_WINDOW_SECONDS: int({ default: 600, min: 10, max: 86_400 }),
  DENIAL_STREAK_COUNT: int({ default: 3, min: 2, max: 10_000 }),
  DENIAL_STREAK_WINDOW_SECONDS: int({ default: 600, min: 10, max: 86_400 }),
  FATIGUE_MISSES: int({ default: 3, min: 1, max: 10_000 }),
  FATIGUE_WINDOW_SECONDS: int({ default: 900, min: 10, max: 86_400 }),
  FATIGUE_SUSPEND_MINUTES: int({ default: 60, min: 1, max: 30 * 1_440 }),
  FRAUD_SUSPEND_HOURS: int({ default: 24, min: 1, max: 30 * 24 }),
  IP_SPRAY_DISTINCT_IPS: int({ default: 3, min: 2, max: 10_000 }),
  IP_SPRAY_WINDOW_SECONDS: int({ default: 600, min: 10, max: 86_400 }),
  IMPOSSIBLE_TRAVEL_KMH: int({ default: 900, min: 1, max: 100_000 }),
  CROSS_USER_SPRAY_USERS: int({ default: 10, min: 2, max: 100_000 }),
  CROSS_USER_SPRAY_WINDOW_SECONDS: int({ default: 600, min: 10, max: 86_400 }),
  RESPONSE_FLOOD_COUNT: int({ default: 5, min: 2, max: 10_000 }),
  RESPONSE_FLOOD_WINDOW_SECONDS: int({ default: 600, min: 10, max: 86_400 }),
  ALERT_DEDUP_MINUTES: int({ default: 15, min: 1, max: 1_440 }),
};

export function ruleSettings(config: ConfigOf<typeof serviceSpec>): RuleSettings {
  return {
    pushBurst: { count: config.PUSH_BURST_COUNT, windowMs: config.PUSH_BURST_WINDOW_SECONDS * 1000 },
    denialStreak: { count: config.DENIAL_STREAK_COUNT, windowMs: config.DENIAL_STREAK_WINDOW_SECONDS * 1000 },
    fatigueAcceptance: { misses: config.FATIGUE_MISSES, windowMs: config.FATIGUE_WINDOW_SECONDS * 1000, suspendMs: config.FATIGUE_SUSPEND_MINUTES * 60_000 },
    fraudReported: { suspendMs: config.FRAUD_SUSPEND_HOURS * 3_600_000 },
    ipSpray: { distinctIps: config.IP_SPRAY_DISTINCT_IPS, windowMs: config.IP_SPRAY_WINDOW_SECONDS * 1000 },
    impossibleTravel: { maxKmh: config.IMPOSSIBLE_TRAVEL_KMH },
    crossUserSpray: { distinctUsers: config.CROSS_USER_SPRAY_USERS, windowMs: config.CROSS_USER_SPRAY_WINDOW_SECONDS * 1000 },
    responseFlood: { count: config.RESPONSE_FLOOD_COUNT, windowMs: config.RESPONSE_FLOOD_WINDOW_SECONDS * 1000 },
    dedupMs: config.ALERT_DEDUP_MINUTES * 60_000,
  };
}
