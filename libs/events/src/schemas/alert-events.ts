import Type from 'typebox';
import { Id, Nullable, Timestamp, UserRef, strict } from './common.ts';
import { OcsfDetectionFinding } from './ocsf.ts';

export const AlertRule = Type.Union([
  Type.Literal('push_burst'),
  Type.Literal('denial_streak'),
  Type.Literal('fatigue_acceptance'),
  Type.Literal('fraud_reported'),
  Type.Literal('ip_spray'),
  Type.Literal('impossible_travel'),
  Type.Literal('cross_user_spray'),
  Type.Literal('response_flood'),
]);

export const AlertSeverity = Type.Union([
  Type.Literal('low'),
  Type.Literal('medium'),
  Type.Literal('high'),
  Type.Literal('critical'),
]);

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
    status: Type.Union([Type.Literal('open'), Type.Literal('updated')]),
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
