import Type from 'typebox';

// OCSF 1.x Detection Finding (class 2004, category 2 "Findings"). Only the attributes that OCSF requires are required
// here; the rest of the class is allowed so that SOC tooling gets the full finding. type_uid = class_uid * 100 +
// activity_id (OCSF base event).
export const OCSF_DETECTION_FINDING = { classUid: 2004, categoryUid: 2 } as const;
export const OCSF_VERSION = '1.3.0';

export const OcsfActivity = Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3)]); // Create, Update, Close

export const OcsfDetectionFinding = Type.Object({
  activity_id: OcsfActivity,
  category_uid: Type.Literal(OCSF_DETECTION_FINDING.categoryUid),
  class_uid: Type.Literal(OCSF_DETECTION_FINDING.classUid),
  type_uid: Type.Integer({ minimum: 200401, maximum: 200499 }),
  // 1 Informational … 5 Critical, 6 Fatal, 99 Other.
  severity_id: Type.Integer({ minimum: 0, maximum: 99 }),
  time: Type.Integer({ minimum: 0 }),
  metadata: Type.Object({
    version: Type.String(),
    product: Type.Object({ name: Type.String(), vendor_name: Type.String() }),
  }),
  finding_info: Type.Object({ uid: Type.String({ minLength: 1 }), title: Type.String() }),
});
