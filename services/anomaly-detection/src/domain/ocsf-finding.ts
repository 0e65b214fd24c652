import { TOPICS, VIGIL_VERSION, type EventData } from '@vigil/events';
import type { Rule, Severity } from './rules.ts';
import { TITLES } from './rules.ts';

// OCSF 1.3.0 Detection Finding (class 2004, category 2 "Findings"), checked in tests against the compiled 1.3.0 schema
// (libs/testkit ocsfProblems): no profile is declared, so only the class's own attributes are used — the user and
// the source addresses are evidence, not `actor`/`src_endpoint` (those need the host profile / another class).
export const OCSF_SCHEMA_VERSION = '1.3.0';

export type OcsfFinding = EventData<'vigil.fatigue.alert'>['ocsf'];

// severity_id with its caption: 1 Informational, 2 Low, 3 Medium, 4 High, 5 Critical.
const SEVERITY = {
  low: { severity_id: 2, severity: 'Low' },
  medium: { severity_id: 3, severity: 'Medium' },
  high: { severity_id: 4, severity: 'High' },
  critical: { severity_id: 5, severity: 'Critical' },
} as const satisfies Record<Severity, unknown>;
// confidence_id: 1 Low, 2 Medium, 3 High. Counting rules over Vigil's own records are certain of what they count; rules
// that infer intent from context a login system supplied (addresses, locations) are less so.
const CERTAIN = { confidence_id: 3, confidence: 'High' } as const;
const LIKELY = { confidence_id: 2, confidence: 'Medium' } as const;
const CONFIDENCE = {
  push_burst: CERTAIN, denial_streak: CERTAIN, fatigue_acceptance: CERTAIN, fraud_reported: CERTAIN, response_flood: CERTAIN,
  ip_spray: LIKELY, impossible_travel: LIKELY, cross_user_spray: LIKELY,
} as const satisfies Record<Rule, unknown>;
// Opened: activity Create; every later detection of the same alert: Update.
const ACTIVITY = {
  open: { activity_id: 1, activity_name: 'Create', type_uid: 200401, type_name: 'Detection Finding: Create' },
  updated: { activity_id: 2, activity_name: 'Update', type_uid: 200402, type_name: 'Detection Finding: Update' },
} as const;
// OCSF observable type ids (object `observable`, 1.3.0): 2 IP Address (ip_t), 4 User Name (username_t).
const OBSERVABLE_IP = 2 as const;
const OBSERVABLE_USER_NAME = 4 as const;

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
export function detectionFinding(alert: FindingInput): OcsfFinding {
  const user = { name: alert.userId, uid: alert.userId, type_id: 1 as const, type: 'User' as const };
  const evidences = alert.sourceIps.length > 0 ? alert.sourceIps.map((ip) => ({ user, src_endpoint: { ip } })) : [{ user }];
  return {
    ...ACTIVITY[alert.status],
    category_uid: 2,
    category_name: 'Findings',
    class_uid: 2004,
    class_name: 'Detection Finding',
    ...SEVERITY[alert.severity],
    // The finding stays New: OCSF's "In Progress" means an analyst is working on it, which Vigil cannot know.
    status_id: 1,
    status: 'New',
    ...CONFIDENCE[alert.rule],
    time: alert.lastSeenAt.getTime(),
    count: alert.count,
    message: `${TITLES[alert.rule]} (${alert.count})`,
    metadata: {
      version: OCSF_SCHEMA_VERSION,
      product: { name: 'Vigil', vendor_name: 'Vigil', uid: 'vigil', version: VIGIL_VERSION, feature: { name: 'anomaly-detection' } },
      log_name: TOPICS.fatigueAlerts,
      tenant_uid: alert.tenantId,
    },
    finding_info: {
      uid: alert.alertId,
      title: TITLES[alert.rule],
      desc: `${TITLES[alert.rule]}: ${alert.count} in the rule's window for user ${alert.userId} of tenant ${alert.tenantId}.`,
      types: ['MFA Fatigue'],
      first_seen_time: alert.firstSeenAt.getTime(),
      last_seen_time: alert.lastSeenAt.getTime(),
      analytic: { name: alert.rule, uid: alert.rule, type_id: 1, type: 'Rule' },
    },
    evidences,
    resources: [{ type: 'User', uid: alert.userId, name: alert.userId }],
    observables: [
      { name: 'evidences.user.name', type_id: OBSERVABLE_USER_NAME, type: 'User Name', value: alert.userId },
      ...alert.sourceIps.map((ip) => ({ name: 'evidences.src_endpoint.ip' as const, type_id: OBSERVABLE_IP, type: 'IP Address' as const, value: ip })),
    ],
    ...(alert.mitigation ? { remediation: { desc: `Push MFA suspended until ${alert.mitigation.until}` } } : {}),
    unmapped: { challenge_ids: alert.challengeIds },
  };
}
