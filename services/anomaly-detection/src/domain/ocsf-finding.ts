import type { Rule, Severity } from './rules.ts';
import { TITLES } from './rules.ts';

// OCSF 1.3 Detection Finding (class 2004). severity_id: 1 Informational, 2 Low, 3 Medium, 4 High, 5 Critical.
const SEVERITY_ID: Record<Severity, number> = { low: 2, medium: 3, high: 4, critical: 5 };
export const OCSF_SCHEMA_VERSION = '1.3.0';

export interface FindingInput {
  alertId: string;
  tenantId: string;
  userId: string;
  rule: Rule;
  severity: Severity;
  status: 'open' | 'updated';
  count: number;
  firstSeenAt: Date;
  lastSeenAt: Date;
  sourceIps: string[];
  challengeIds: string[];
  mitigation: { action: 'suspend_push'; until: string } | null;
}

/** The alert as an OCSF Detection Finding, so SIEMs can ingest it without a Vigil-specific parser. */
export function detectionFinding(alert: FindingInput) {
  const activityId: 1 | 2 = alert.status === 'open' ? 1 : 2;
  return {
    activity_id: activityId,
    activity_name: alert.status === 'open' ? 'Create' : 'Update',
    category_uid: 2 as const,
    category_name: 'Findings',
    class_uid: 2004 as const,
    class_name: 'Detection Finding',
    type_uid: 2004 * 100 + activityId,
    severity_id: SEVERITY_ID[alert.severity],
    severity: alert.severity[0]?.toUpperCase() + alert.severity.slice(1),
    status_id: activityId,
    status: alert.status === 'open' ? 'New' : 'In Progress',
    time: alert.lastSeenAt.getTime(),
    message: `${TITLES[alert.rule]} (${alert.count})`,
    metadata: {
      version: OCSF_SCHEMA_VERSION,
      product: { name: 'Vigil', vendor_name: 'Vigil', feature: { name: 'anomaly-detection' } },
      tenant_uid: alert.tenantId,
    },
    finding_info: {
      uid: alert.alertId,
      title: TITLES[alert.rule],
      types: ['MFA Fatigue'],
      first_seen_time: alert.firstSeenAt.getTime(),
      last_seen_time: alert.lastSeenAt.getTime(),
      analytic: { name: alert.rule, uid: alert.rule, type_id: 1, type: 'Rule' },
      related_events_count: alert.count,
    },
    actor: { user: { uid: alert.userId, name: alert.userId } },
    observables: [
      { name: 'actor.user.uid', type_id: 4, type: 'User Name', value: alert.userId },
      ...alert.sourceIps.map((ip) => ({ name: 'src_endpoint.ip', type_id: 2, type: 'IP Address', value: ip })),
    ],
    ...(alert.mitigation ? { remediation: { desc: `Push MFA suspended until ${alert.mitigation.until}` } } : {}),
    unmapped: { challenge_ids: alert.challengeIds },
  };
}
