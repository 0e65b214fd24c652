import type { UserRef } from '@vigil/events';
import { busiestWindow } from './busiest-window.ts';
import type { Rule, RuleSettings } from './rules.ts';
import { challengeIdsOf, distinctMisses, ipsOf, within, type Counted, type IpSignIn, type SeriesEntry, type UserSeries } from './series.ts';
import { isImpossibleTravel, type Location } from './travel.ts';

// CONTRACT §7 rules as pure decisions: given what the user's windows hold and the settings, each says whether to raise
// an alert (a Detection) or nothing (null), with what counts, and which mitigation it asks for.

export interface Mitigation {
  action: 'suspend_push';
  until: string;
}

/** What a rule found: counts, challenges and source addresses of every event it counted, and the first one's time. */
export interface Detection extends UserRef {
  rule: Rule;
  count: number;
  windowMs: number;
  /** When the rule fired: the event in hand. */
  at: Date;
  /** The first event the rule counted. */
  firstSeenAt: Date;
  challengeIds: string[];
  sourceIps: string[];
  mitigation: Mitigation | null;
  /** Detections with one key within the dedup period are one alert: per user and rule, or per address and rule. */
  dedupKey: string;
}

/**
 * How far back each of a user's series is read. The pushes series serves two rules: it is read once, over the longer
 * of their windows, and each rule looks at its own part of it.
 */
export function seriesWindowMs(rules: RuleSettings): Record<UserSeries, number> {
  return {
    pushes: Math.max(rules.pushBurst.windowMs, rules.ipSpray.windowMs),
    fatigue: rules.fatigueAcceptance.windowMs,
    misses: rules.denialStreak.windowMs,
    rejections: rules.responseFlood.windowMs,
  };
}

// A report is one event, not a window: its alert shows a day, the span a SOC reads reports over.
const FRAUD_REPORT_WINDOW_MS = 86_400_000;

interface Found {
  user: UserRef;
  rule: Rule;
  entries: readonly Counted[];
  windowMs: number;
  at: Date;
  count?: number;
  suspendMs?: number;
  dedupKey?: string;
}

function detection(found: Found): Detection {
  const { user, rule, entries, at } = found;
  const mitigation = found.suspendMs ? { action: 'suspend_push' as const, until: new Date(at.getTime() + found.suspendMs).toISOString() } : null;
  return {
    tenantId: user.tenantId, userId: user.userId, rule, count: found.count ?? entries.length, windowMs: found.windowMs, at,
    firstSeenAt: new Date(Math.min(at.getTime(), ...entries.map((entry) => entry.atMs))),
    challengeIds: challengeIdsOf(entries), sourceIps: ipsOf(entries), mitigation,
    dedupKey: found.dedupKey ?? `${user.tenantId}:${user.userId}:${rule}`,
  };
}

/** The user's pushes (throttled ones too) as the event in hand saw them, read over seriesWindowMs().pushes. */
export interface PushWindow {
  user: UserRef;
  at: Date;
  pushes: readonly SeriesEntry[];
  rules: RuleSettings;
}

export function pushBurst({ user, at, pushes, rules }: PushWindow): Detection | null {
  const window = within(pushes, at.getTime(), rules.pushBurst.windowMs);
  if (window.length < rules.pushBurst.count) return null;
  return detection({ user, rule: 'push_burst', entries: window, windowMs: rules.pushBurst.windowMs, at });
}

/** The addresses behind every push of the window, throttled ones included. */
export function ipSpray({ user, at, pushes, rules }: PushWindow): Detection | null {
  const window = within(pushes, at.getTime(), rules.ipSpray.windowMs);
  const ips = ipsOf(window);
  if (ips.length < rules.ipSpray.distinctIps) return null;
  return detection({ user, rule: 'ip_spray', entries: window, windowMs: rules.ipSpray.windowMs, at, count: ips.length });
}

/** Denials and expiries of the user's challenges, read over seriesWindowMs().misses. */
export function denialStreak(input: { user: UserRef; at: Date; misses: readonly SeriesEntry[]; rules: RuleSettings }): Detection | null {
  const { user, at, rules } = input;
  const window = within(input.misses, at.getTime(), rules.denialStreak.windowMs);
  if (window.length < rules.denialStreak.count) return null;
  return detection({ user, rule: 'denial_streak', entries: window, windowMs: rules.denialStreak.windowMs, at });
}

/** Device responses the verification service refused for the user, read over seriesWindowMs().rejections. */
export function responseFlood(input: { user: UserRef; at: Date; rejections: readonly SeriesEntry[]; rules: RuleSettings }): Detection | null {
  const { user, at, rules } = input;
  const window = within(input.rejections, at.getTime(), rules.responseFlood.windowMs);
  if (window.length < rules.responseFlood.count) return null;
  return detection({ user, rule: 'response_flood', entries: window, windowMs: rules.responseFlood.windowMs, at });
}

/**
 * An approval after repeated misses (denials, expiries, throttled pushes, quiet challenges: CONTRACT §7 v2) is the
 * user giving in to push bombing: raise it critical and suspend pushes.
 */
export function fatigueAcceptance(input: { user: UserRef; approval: SeriesEntry; before: readonly SeriesEntry[]; rules: RuleSettings }): Detection | null {
  const { user, approval, rules } = input;
  const at = new Date(approval.atMs);
  const before = within(input.before, approval.atMs, rules.fatigueAcceptance.windowMs);
  const misses = distinctMisses(before);
  if (misses < rules.fatigueAcceptance.misses) return null;
  return detection({
    user, rule: 'fatigue_acceptance', entries: [...before, approval], windowMs: rules.fatigueAcceptance.windowMs, at, count: misses,
    suspendMs: rules.fatigueAcceptance.suspendMs,
  });
}

/** The user said a push was not theirs: always an alert, and pushes suspended. */
export function fraudReported(input: { user: UserRef; report: SeriesEntry; rules: RuleSettings }): Detection {
  const { user, report, rules } = input;
  return detection({
    user, rule: 'fraud_reported', entries: [report], windowMs: FRAUD_REPORT_WINDOW_MS, at: new Date(report.atMs), count: 1,
    suspendMs: rules.fraudReported.suspendMs,
  });
}

/** Two sign-ins too far apart for the time between them; the alert's window is that time. */
export function impossibleTravel(input: { user: UserRef; signIn: SeriesEntry; before: Location | null; here: Location; rules: RuleSettings }): Detection | null {
  const { user, signIn, before, here, rules } = input;
  if (before === null || !isImpossibleTravel(before, here, rules.impossibleTravel.maxKmh)) return null;
  const entries = [{ ...signIn, atMs: Math.min(before.at, here.at) }, { ...signIn, atMs: here.at }];
  return detection({ user, rule: 'impossible_travel', entries, windowMs: Math.abs(here.at - before.at), at: new Date(here.at), count: 1 });
}

/**
 * One address pushing many users. Other users' events come from other partitions, in any order: the busiest window
 * around this sign-in counts, not only the one back from it. One alert per address, whoever the latest user is.
 */
export function crossUserSpray(input: { user: UserRef; signIn: IpSignIn; around: readonly IpSignIn[]; rules: RuleSettings }): Detection | null {
  const { user, signIn, rules } = input;
  const spray = busiestWindow(input.around, signIn.atMs, rules.crossUserSpray.windowMs, (point) => point.userId);
  const users = new Set(spray.map((point) => point.userId));
  if (users.size < rules.crossUserSpray.distinctUsers) return null;
  return detection({
    user, rule: 'cross_user_spray', entries: spray, windowMs: rules.crossUserSpray.windowMs, at: new Date(signIn.atMs), count: users.size,
    dedupKey: `${user.tenantId}:ip:${signIn.ip}:cross_user_spray`,
  });
}
