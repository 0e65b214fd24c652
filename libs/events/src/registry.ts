import type { Static, TSchema } from 'typebox';
import { TOPICS, type Topic } from './topics.ts';
import * as alerts from './schemas/alert-events.ts';
import * as challenges from './schemas/challenge-events.ts';
import * as enrollment from './schemas/enrollment-events.ts';
import * as factors from './schemas/factor-events.ts';
import * as notifications from './schemas/notification-events.ts';
import * as risk from './schemas/user-risk-events.ts';
import * as verifications from './schemas/verification-events.ts';

const entry = <const T extends Topic, const S extends TSchema>(topic: T, data: S) => ({ topic, data });

/** Every event type of CONTRACT §8: the topic it travels on and the schema of its `data`. */
export const EVENT_REGISTRY = {
  'vigil.push.enrollment-started': entry(TOPICS.enrollment, enrollment.PushEnrollmentStarted),
  'vigil.push.device-activated': entry(TOPICS.enrollment, enrollment.PushDeviceActivated),
  'vigil.push.device-revoked': entry(TOPICS.enrollment, enrollment.PushDeviceRevoked),
  'vigil.push.token-updated': entry(TOPICS.enrollment, enrollment.PushTokenUpdated),
  'vigil.totp.enrolled': entry(TOPICS.enrollment, enrollment.TotpEnrolled),
  'vigil.totp.removed': entry(TOPICS.enrollment, enrollment.TotpRemoved),
  'vigil.factors.snapshot': entry(TOPICS.factors, factors.FactorsSnapshot),
  'vigil.challenge.created': entry(TOPICS.challenges, challenges.ChallengeCreated),
  'vigil.challenge.throttled': entry(TOPICS.challenges, challenges.ChallengeThrottled),
  'vigil.challenge.expired': entry(TOPICS.challenges, challenges.ChallengeExpired),
  'vigil.challenge.cancelled': entry(TOPICS.challenges, challenges.ChallengeCancelled),
  'vigil.notification.sent': entry(TOPICS.notifications, notifications.NotificationSent),
  'vigil.notification.failed': entry(TOPICS.notifications, notifications.NotificationFailed),
  'vigil.notification.token-invalid': entry(TOPICS.notifications, notifications.NotificationTokenInvalid),
  'vigil.challenge.approved': entry(TOPICS.verifications, verifications.ChallengeApproved),
  'vigil.challenge.denied': entry(TOPICS.verifications, verifications.ChallengeDenied),
  'vigil.challenge.reported': entry(TOPICS.verifications, verifications.ChallengeReported),
  'vigil.response.rejected': entry(TOPICS.verifications, verifications.ResponseRejected),
  'vigil.totp.verified': entry(TOPICS.verifications, verifications.TotpVerified),
  'vigil.totp.failed': entry(TOPICS.verifications, verifications.TotpFailed),
  'vigil.fatigue.alert': entry(TOPICS.fatigueAlerts, alerts.FatigueAlert),
  'vigil.user.push-suspended': entry(TOPICS.userRisk, risk.PushSuspended),
  'vigil.user.push-restored': entry(TOPICS.userRisk, risk.PushRestored),
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
