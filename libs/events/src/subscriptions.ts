import type { ProducingService } from './registry.ts';
import { TOPICS, type Topic } from './topics.ts';

/**
 * The topics each service consumes, with the consumer group it reads them in. With the producers of the event
 * registry, this is the whole map of who talks to whom over Kafka: the topic ACLs (libs/kafka access-plan.ts, the Helm
 * chart) are derived from it, so a service is granted exactly what it uses.
 */
export const SUBSCRIPTIONS = {
  enrollment: { group: 'enrollment', topics: [TOPICS.verifications, TOPICS.notifications, TOPICS.userRisk] },
  challenge: { group: 'challenge', topics: [TOPICS.factors, TOPICS.verifications, TOPICS.userRisk] },
  verification: { group: 'verification', topics: [TOPICS.factors, TOPICS.challenges] },
  notification: { group: 'notification', topics: [TOPICS.factors, TOPICS.challenges] },
  'anomaly-detection': { group: 'anomaly-detection', topics: [TOPICS.challenges, TOPICS.verifications, TOPICS.notifications] },
} as const satisfies Record<ProducingService, { group: string; topics: readonly Topic[] }>;

/**
 * The groups whose progress on vigil.factors.v1 enrollment waits for before a factor change answers (CONTRACT §2
 * read-your-writes): every group that acts on factors.
 */
export const FACTOR_READER_GROUPS: readonly string[] = Object.values(SUBSCRIPTIONS)
  .filter((subscription) => (subscription.topics as readonly Topic[]).includes(TOPICS.factors))
  .map((subscription) => subscription.group);
