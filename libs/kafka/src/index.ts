export { createKafka, type KafkaClientOptions } from './kafka-client.ts';
export { kafkaSecurity, kafkaSecurityFromEnv } from './kafka-security.ts';
export { ensureTopics, topicPlan, type TopicBootstrapOptions, type TopicPlan } from './topic-bootstrap.ts';
export { EventProducer } from './event-producer.ts';
export {
  runConsumer,
  type ConsumerRunnerOptions,
  type EventHandler,
  type MessageContext,
  type RunningConsumer,
  type TombstoneHandler,
} from './consumer-runner.ts';
export { redisProcessedEvents, type ProcessedEvents, type RedisProcessedEventsOptions } from './processed-events.ts';
export { EventSchemaError, EventsNotPublishedError, EventsPendingError, PermanentHandlerError, ReadersBehindError } from './errors.ts';
export type { Kafka } from 'kafkajs';
export { kafkaEventSink } from './event-sink.kafka.ts';
export { encodeOutbound, type Landed, type OutboundMessage } from './event-producer.ts';
export { groupProgress, readerGroups, untilGroupCaughtUp, type GroupProgress, type ReaderGroups, type ReaderGroupsOptions } from './read-your-writes.ts';
export { isTransientFailure } from './transient-errors.ts';
export { accessPlan, principalOf, serviceAccess, SERVICES_WITH_KAFKA, type ServiceAccess } from './access-plan.ts';
export { applyAccessPlan, grantsOf, kafkaAclsCommands } from './apply-access-plan.ts';
