import { int, loadConfig, port } from '@vigil/config';
import type { ConfigOf } from '@vigil/config';
import type { RuleSettings } from './domain/rules.ts';

/** Settings of the anomaly-detection service; rule thresholds default to CONTRACT §7 (docs/soc.md explains tuning). */
export const serviceSpec = {
  ANOMALY_PORT: port({ default: 8085 }),
  PUSH_BURST_COUNT: int({ min: 2, max: 10_000 })({ default: 5 }),
  PUSH_BURST_WINDOW_SECONDS: int({ min: 10, max: 86_400 })({ default: 600 }),
  DENIAL_STREAK_COUNT: int({ min: 2, max: 10_000 })({ default: 3 }),
  DENIAL_STREAK_WINDOW_SECONDS: int({ min: 10, max: 86_400 })({ default: 600 }),
  FATIGUE_MISSES: int({ min: 1, max: 10_000 })({ default: 3 }),
  FATIGUE_WINDOW_SECONDS: int({ min: 10, max: 86_400 })({ default: 900 }),
  FATIGUE_SUSPEND_MINUTES: int({ min: 1, max: 30 * 1_440 })({ default: 60 }),
  FRAUD_SUSPEND_HOURS: int({ min: 1, max: 30 * 24 })({ default: 24 }),
  IP_SPRAY_DISTINCT_IPS: int({ min: 2, max: 10_000 })({ default: 3 }),
  IP_SPRAY_WINDOW_SECONDS: int({ min: 10, max: 86_400 })({ default: 600 }),
  IMPOSSIBLE_TRAVEL_KMH: int({ min: 1, max: 100_000 })({ default: 900 }),
  CROSS_USER_SPRAY_USERS: int({ min: 2, max: 100_000 })({ default: 10 }),
  CROSS_USER_SPRAY_WINDOW_SECONDS: int({ min: 10, max: 86_400 })({ default: 600 }),
  RESPONSE_FLOOD_COUNT: int({ min: 2, max: 10_000 })({ default: 5 }),
  RESPONSE_FLOOD_WINDOW_SECONDS: int({ min: 10, max: 86_400 })({ default: 600 }),
  ALERT_DEDUP_MINUTES: int({ min: 1, max: 1_440 })({ default: 15 }),
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

/** The rules at their defaults: the settings of a service started with none of the variables above set. */
export const DEFAULT_RULES: RuleSettings = ruleSettings(loadConfig(serviceSpec, {}));
