export { TOPICS, ALL_TOPICS, COMPACTED_TOPICS, dlqTopic, type Topic } from './topics.ts';
export {
  EVENT_REGISTRY,
  EVENT_TYPES,
  eventTypesOn,
  isEventType,
  provenanceProblem,
  sourceOf,
  type EventData,
  type EventRegistry,
  type EventType,
  type EventTypeOn,
  type ProducingService,
  type TopicOf,
} from './registry.ts';
export {
  CLOUDEVENTS_CONTENT_TYPE,
  createEvent,
  decodeEvent,
  encodeEvent,
  eventKey,
  eventLoggerFields,
  validateEvent,
  type CloudEvent,
  type CreateEventOptions,
  type ValidationResult,
  type VigilEvent,
} from './envelope.ts';
export { ChallengeContext, ChallengeContextInput, Nullable, TenantId, Timestamp, UserId, UserRef, Platform, PushChannel } from './schemas/common.ts';
export { EncryptedSecret, FactorsSnapshot, PushFactor, TotpFactor } from './schemas/factor-events.ts';
export { FatigueAlert, AlertRule, AlertSeverity } from './schemas/alert-events.ts';
export { OcsfDetectionFinding, OCSF_DETECTION_FINDING, OCSF_VERSION } from './schemas/ocsf.ts';
export { PolicyConformance, PolicyUpdated, TenantPolicy } from './schemas/policy-events.ts';
export { draft, type EventDraft, type EventSink } from './event-sink.ts';
export { VIGIL_VERSION } from './version.ts';
export { FACTOR_READER_GROUPS, SUBSCRIPTIONS } from './subscriptions.ts';
