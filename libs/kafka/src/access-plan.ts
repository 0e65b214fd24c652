import { ALL_TOPICS, EVENT_REGISTRY, EVENT_TYPES, FACTOR_READER_GROUPS, SUBSCRIPTIONS, dlqTopic, type ProducingService } from '@vigil/events';

/** What one service's Kafka principal may do (CONTRACT §8 v2): least privilege, derived from the code's own maps. */
export interface ServiceAccess {
  service: ProducingService;
  /** `User:<name>`: the SASL user name is the principal's name. */
  principal: string;
  /** Topics it produces (from the event registry), and the DLQs of the topics it consumes (where it parks messages). */
  write: string[];
  read: string[];
  /** Its own consumer group. */
  groups: string[];
  /** Other services' groups whose offsets it reads (enrollment waits for the factor readers: read-your-writes). */
  describeGroups: string[];
  /** Every topic of the contract: metadata only, so that the topic bootstrap finds them all and creates nothing. */
  describe: string[];
}

export const SERVICES_WITH_KAFKA: readonly ProducingService[] = ['enrollment', 'challenge', 'verification', 'notification', 'anomaly-detection'];

/** The principal of a service, `vigil-<service>` unless the deployment names it otherwise. */
export function principalOf(service: ProducingService, prefix = 'vigil-'): string {
  return `User:${prefix}${service}`;
}

export function serviceAccess(service: ProducingService, prefix = 'vigil-'): ServiceAccess {
  const produced = [...new Set(EVENT_TYPES.filter((type) => EVENT_REGISTRY[type].producer === service).map((type) => EVENT_REGISTRY[type].topic))];
  const { group, topics } = SUBSCRIPTIONS[service];
  return {
    service,
    principal: principalOf(service, prefix),
    write: [...produced, ...topics.map((topic) => dlqTopic(topic))].sort(),
    read: [...topics].sort(),
    groups: [group],
    describeGroups: service === 'enrollment' ? [...FACTOR_READER_GROUPS] : [],
    describe: ALL_TOPICS.flatMap((topic) => [topic, dlqTopic(topic)]).sort(),
  };
}

/** The access of every service. */
export function accessPlan(prefix = 'vigil-'): ServiceAccess[] {
  return SERVICES_WITH_KAFKA.map((service) => serviceAccess(service, prefix));
}
