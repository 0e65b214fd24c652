import type { Static, TSchema } from 'typebox';
import { TOPICS, type Topic } from './topics.ts';
import * as alerts from './schemas/alert-events.ts';
import * as challenges from './schemas/challenge-events.ts';
import * as enrollment from './schemas/enrollment-events.ts';
import * as factors from './schemas/factor-events.ts';
import * as notifications from './schemas/notification-events.ts';
import * as policies from './schemas/policy-events.ts';
import * as risk from './schemas/user-risk-events.ts';
import * as verifications from './schemas/verification-events.ts';

/** The services that produce events (CONTRACT §8 provenance: each event type has exactly one). */
export type ProducingService = 'enrollment' | 'challenge' | 'verification' | 'notification' | 'anomaly-detection';

const entry = <const T extends Topic, const P extends ProducingService, const S extends TSchema>(topic: T, producer: P, data: S) => ({ topic, producer, data });

/** Every event type of CONTRACT §8: the topic it travels on, the one service that produces it, the schema of its `data`. */
export const EVENT_REGISTRY = {
  'vigil.push.enrollment-started': entry(TOPICS.enrollment, 'enrollment', enrollment.PushEnrollmentStarted),
  'vigil.push.device-activated': entry(TOPICS.enrollment, 'enrollment', enrollment.PushDeviceActivated),
  'vigil.push.device-revoked': entry(TOPICS.enrollment, 'enrollment', enrollment.PushDeviceRevoked),
  'vigil.push.token-updated': entry(TOPICS.enrollment, 'enrollment', enrollment.PushTokenUpdated),
  'vigil.totp.enrolled': entry(TOPICS.enrollment, 'enrollment', enrollment.TotpEnrolled),
  'vigil.totp.removed': entry(TOPICS.enrollment, 'enrollment', enrollment.TotpRemoved),
  'vigil.factors.snapshot': entry(TOPICS.factors, 'enrollment', factors.FactorsSnapshot),
  'vigil.challenge.created': entry(TOPICS.challenges, 'challenge', challenges.ChallengeCreated),
  'vigil.challenge.throttled': entry(TOPICS.challenges, 'challenge', challenges.ChallengeThrottled),
  'vigil.challenge.expired': entry(TOPICS.challenges, 'challenge', challenges.ChallengeExpired),
  'vigil.challenge.cancelled': entry(TOPICS.challenges, 'challenge', challenges.ChallengeCancelled),
  'vigil.notification.sent': entry(TOPICS.notifications, 'notification', notifications.NotificationSent),
  'vigil.notification.failed': entry(TOPICS.notifications, 'notification', notifications.NotificationFailed),
  'vigil.notification.token-invalid': entry(TOPICS.notifications, 'notification', notifications.NotificationTokenInvalid),
  'vigil.challenge.approved': entry(TOPICS.verifications, 'verification', verifications.ChallengeApproved),
  'vigil.challenge.denied': entry(TOPICS.verifications, 'verification', verifications.ChallengeDenied),
  'vigil.challenge.reported': entry(TOPICS.verifications, 'verification', verifications.ChallengeReported),
  'vigil.response.rejected': entry(TOPICS.verifications, 'verification', verifications.ResponseRejected),
  'vigil.totp.verified': entry(TOPICS.verifications, 'verification', verifications.TotpVerified),
  'vigil.totp.failed': entry(TOPICS.verifications, 'verification', verifications.TotpFailed),
  'vigil.fatigue.alert': entry(TOPICS.fatigueAlerts, 'anomaly-detection', alerts.FatigueAlert),
  'vigil.user.push-suspended': entry(TOPICS.userRisk, 'anomaly-detection', risk.PushSuspended),
  'vigil.user.push-restored': entry(TOPICS.userRisk, 'anomaly-detection', risk.PushRestored),
  'vigil.policy.updated': entry(TOPICS.policies, 'challenge', policies.PolicyUpdated),
} as const;

export type EventRegistry = typeof EVENT_REGISTRY;
export type EventType = keyof EventRegistry;
export type EventData<T extends EventType> = Static<EventRegistry[T]['data']>;
export type TopicOf<T extends EventType> = EventRegistry[T]['topic'];
/** The event types that travel on one topic. */
export type EventTypeOn<P extends Topic> = { [T in EventType]: EventRegistry[T]['topic'] extends P ? T : never }[EventType];

export const EVENT_TYPES = Object.keys(EVENT_REGISTRY) as EventType[];

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && Object.hasOwn(EVENT_REGISTRY, value);
}

export function eventTypesOn(topic: Topic): EventType[] {
  return EVENT_TYPES.filter((type) => EVENT_REGISTRY[type].topic === topic);
}

/** The CloudEvents `source` of a service's events. */
export function sourceOf(service: ProducingService): string {
  return `urn:vigil:${service}`;
}

/**
 * Why an event may not be acted on where it was read (CONTRACT §8 provenance), or null: every type travels on its own
 * topic and comes from its one producing service. Topic ACLs decide who can write a topic; this check makes a consumer
 * refuse an event that claims a producer or a topic other than its own (a forged or misrouted event goes to the DLQ).
 */
export function provenanceProblem(event: { type: EventType; source: string }, topic: string): string | null {
  const { topic: expectedTopic, producer } = EVENT_REGISTRY[event.type];
  if (topic !== expectedTopic) return `${event.type} travels on ${expectedTopic}, not ${topic}`;
  if (event.source !== sourceOf(producer)) return `${event.type} comes from ${sourceOf(producer)}, not ${JSON.stringify(event.source)}`;
  return null;
}
