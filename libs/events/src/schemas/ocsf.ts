import Type from 'typebox';

// OCSF 1.3.0 Detection Finding (class 2004, category 2 "Findings"), exactly as Vigil emits it
// (services/anomaly-detection/src/domain/ocsf-finding.ts): no attribute beyond these, ids tied to their captions where
// OCSF has an enum, `type_uid` = class_uid * 100 + activity_id. What OCSF itself allows is checked in tests against the
// compiled OCSF schema (libs/testkit ocsfProblems); this schema keeps Vigil's own events from drifting.
export const OCSF_DETECTION_FINDING = { classUid: 2004, categoryUid: 2 } as const;
export const OCSF_VERSION = '1.3.0';

const strict = { additionalProperties: false } as const;

const Activity = Type.Union([
  Type.Object({ activity_id: Type.Literal(1), activity_name: Type.Literal('Create'), type_uid: Type.Literal(200401), type_name: Type.Literal('Detection Finding: Create') }),
  Type.Object({ activity_id: Type.Literal(2), activity_name: Type.Literal('Update'), type_uid: Type.Literal(200402), type_name: Type.Literal('Detection Finding: Update') }),
]);
const Severity = Type.Union([
  Type.Object({ severity_id: Type.Literal(2), severity: Type.Literal('Low') }),
  Type.Object({ severity_id: Type.Literal(3), severity: Type.Literal('Medium') }),
  Type.Object({ severity_id: Type.Literal(4), severity: Type.Literal('High') }),
  Type.Object({ severity_id: Type.Literal(5), severity: Type.Literal('Critical') }),
]);
const Confidence = Type.Union([
  Type.Object({ confidence_id: Type.Literal(2), confidence: Type.Literal('Medium') }),
  Type.Object({ confidence_id: Type.Literal(3), confidence: Type.Literal('High') }),
]);

const User = Type.Object({ name: Type.String(), uid: Type.String(), type_id: Type.Literal(1), type: Type.Literal('User') }, strict);
const Observable = Type.Union([
  Type.Object({ name: Type.Literal('evidences.user.name'), type_id: Type.Literal(4), type: Type.Literal('User Name'), value: Type.String() }, strict),
  Type.Object({ name: Type.Literal('evidences.src_endpoint.ip'), type_id: Type.Literal(2), type: Type.Literal('IP Address'), value: Type.String() }, strict),
]);

const Finding = Type.Object({
  category_uid: Type.Literal(OCSF_DETECTION_FINDING.categoryUid),
  category_name: Type.Literal('Findings'),
  class_uid: Type.Literal(OCSF_DETECTION_FINDING.classUid),
  class_name: Type.Literal('Detection Finding'),
  // A finding stays New (1): OCSF's "In Progress" means an analyst works on it.
  status_id: Type.Literal(1),
  status: Type.Literal('New'),
  time: Type.Integer({ minimum: 0 }),
  count: Type.Integer({ minimum: 1 }),
  message: Type.String(),
  metadata: Type.Object({
    version: Type.Literal(OCSF_VERSION),
    product: Type.Object({
      name: Type.Literal('Vigil'), vendor_name: Type.Literal('Vigil'), uid: Type.Literal('vigil'), version: Type.String({ minLength: 1 }),
      feature: Type.Object({ name: Type.String() }, strict),
    }, strict),
    log_name: Type.String({ minLength: 1 }),
    tenant_uid: Type.String({ minLength: 1 }),
  }, strict),
  finding_info: Type.Object({
    uid: Type.String({ minLength: 1 }),
    title: Type.String({ minLength: 1 }),
    desc: Type.String(),
    types: Type.Array(Type.String()),
    first_seen_time: Type.Integer({ minimum: 0 }),
    last_seen_time: Type.Integer({ minimum: 0 }),
    analytic: Type.Object({ name: Type.String(), uid: Type.String(), type_id: Type.Literal(1), type: Type.Literal('Rule') }, strict),
  }, strict),
  evidences: Type.Array(Type.Object({ user: User, src_endpoint: Type.Optional(Type.Object({ ip: Type.String() }, strict)) }, strict), { minItems: 1 }),
  resources: Type.Array(Type.Object({ type: Type.Literal('User'), uid: Type.String(), name: Type.String() }, strict), { minItems: 1 }),
  observables: Type.Array(Observable, { minItems: 1 }),
  remediation: Type.Optional(Type.Object({ desc: Type.String() }, strict)),
  unmapped: Type.Object({ challenge_ids: Type.Array(Type.String()) }, strict),
});

export const OcsfDetectionFinding = Type.Intersect([Finding, Activity, Severity, Confidence], { unevaluatedProperties: false });
