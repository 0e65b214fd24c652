import { draft, type EventDraft } from '@vigil/events';
import type { Detection } from './detections.ts';
import { detectionFinding } from './ocsf-finding.ts';
import type { FatigueAlert } from './ports.ts';
import { SEVERITY, type Rule } from './rules.ts';

// What an alert says when a detection opens it, and when a later detection of the same key updates it.

// An alert lists at most the latest 100 challenges and addresses (docs/soc.md): a flood must not grow it without end.
const MAX_LISTED = 100;
const union = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])].slice(-MAX_LISTED);

// Rules that detect one thing per event count detections; the others report the size of their window.
const COUNTS_DETECTIONS: ReadonlySet<Rule> = new Set(['fraud_reported', 'impossible_travel']);

/** The count an updated alert shows. */
export function updatedCount(rule: Rule, previous: number, observed: number): number {
  return COUNTS_DETECTIONS.has(rule) ? previous + 1 : Math.max(previous, observed);
}

/** The alert a detection opens, under the id its dedup key was given. */
export function openedAlert(detection: Detection, alertId: string): FatigueAlert {
  const severity = SEVERITY[detection.rule];
  const count = Math.max(1, detection.count);
  return {
    tenantId: detection.tenantId, userId: detection.userId, alertId, rule: detection.rule, severity, status: 'open', count,
    windowSeconds: Math.max(1, Math.round(detection.windowMs / 1000)),
    firstSeenAt: detection.firstSeenAt.toISOString(), lastSeenAt: detection.at.toISOString(),
    challengeIds: detection.challengeIds, sourceIps: detection.sourceIps, mitigation: detection.mitigation,
    ocsf: detectionFinding({ ...detection, alertId, severity, status: 'open', count, firstSeenAt: detection.firstSeenAt, lastSeenAt: detection.at }),
  };
}

/** The alert after a later detection of its key: counts grow, times widen, the first mitigation stays. */
export function updatedAlert(current: FatigueAlert, detection: Detection): FatigueAlert {
  const at = detection.at.toISOString();
  // An event that arrives late may be older than what the alert saw first, or than its latest detection.
  const first = detection.firstSeenAt.toISOString();
  const firstSeenAt = current.firstSeenAt < first ? current.firstSeenAt : first;
  const lastSeenAt = current.lastSeenAt > at ? current.lastSeenAt : at;
  const updated = {
    status: 'updated' as const, count: updatedCount(detection.rule, current.count, detection.count), firstSeenAt, lastSeenAt,
    challengeIds: union(current.challengeIds, detection.challengeIds), sourceIps: union(current.sourceIps, detection.sourceIps),
    mitigation: current.mitigation ?? detection.mitigation,
  };
  const ocsf = detectionFinding({
    ...detection, ...updated, alertId: current.alertId, severity: current.severity, firstSeenAt: new Date(firstSeenAt), lastSeenAt: new Date(lastSeenAt),
  });
  return { ...current, ...updated, ocsf };
}

/**
 * The events that announce an alert as it is written: the alert itself, and the suspension it opens. An update keeps
 * the mitigation the alert opened with, so only the opening announces a suspension.
 */
export function alertEvents(alert: FatigueAlert, detection: Detection): EventDraft[] {
  const { mitigation } = detection;
  if (!mitigation || alert.status !== 'open') return [draft('vigil.fatigue.alert', alert)];
  return [
    draft('vigil.fatigue.alert', alert),
    draft('vigil.user.push-suspended', {
      tenantId: detection.tenantId, userId: detection.userId, until: mitigation.until, rule: detection.rule, alertId: alert.alertId,
      suspendedAt: detection.at.toISOString(),
    }),
  ];
}
