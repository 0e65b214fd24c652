import Type from 'typebox';
import { Id, Nullable, Timestamp, UserRef, strict } from './common.ts';
import { OcsfDetectionFinding } from './ocsf.ts';

export const AlertRule = Type.Enum(['push_burst', 'denial_streak', 'fatigue_acceptance', 'fraud_reported', 'ip_spray', 'impossible_travel', 'cross_user_spray', 'response_flood']);

export const AlertSeverity = Type.Enum(['low', 'medium', 'high', 'critical']);

export const Mitigation = Type.Object(
  { action: Type.Literal('suspend_push'), until: Timestamp },
  strict,
);

/** CONTRACT §8: the SOC-facing alert; the same shape is served by GET /v1/alerts. */
export const FatigueAlert = Type.Object(
  {
    ...UserRef,
    alertId: Id,
    rule: AlertRule,
    severity: AlertSeverity,
    status: Type.Enum(['open', 'updated']),
    count: Type.Integer({ minimum: 1 }),
    windowSeconds: Type.Integer({ minimum: 1 }),
    firstSeenAt: Timestamp,
    lastSeenAt: Timestamp,
    challengeIds: Type.Array(Id),
    sourceIps: Type.Array(Type.String({ maxLength: 64 })),
    mitigation: Nullable(Mitigation),
    ocsf: OcsfDetectionFinding,
  },
  strict,
);
