import { redisProcessedEvents, runConsumer, type EventHandler, type RunningConsumer, type TombstoneHandler } from '@vigil/kafka';
import type { ServiceConnections } from './service-runtime.ts';

export interface ServiceConsumerOptions {
  /** The service's name: its Redis key space for processed event ids. */
  service: string;
  groupId: string;
  topics: readonly string[];
  handle: EventHandler;
  handleTombstone?: TombstoneHandler;
  /** Read the topics from the start when the group is new (projections of compacted topics). */
  fromBeginning?: boolean;
  concurrencyPerPartition?: number;
}

/**
 * A service's consumer with the usual parts: DLQ through the service's producer, dedupe in its own Redis keys.
 * Resolves once the consumer has joined its group, so that what is published afterwards is seen. Services call it
 * after they listen: while a restarted instance waits for its dead predecessor to leave the group, it answers
 * /healthz, and /readyz says 503 until the join is done.
 */
export async function startServiceConsumer(connections: Pick<ServiceConnections, 'kafka' | 'redis' | 'producer' | 'log' | 'readiness'>, options: ServiceConsumerOptions): Promise<RunningConsumer> {
  let joined = false;
  // Not ready until the consumer is in its group: an instance that cannot see events yet should get no traffic.
  connections.readiness.push({ name: `kafka-consumer:${options.groupId}`, check: async () => joined });
  const consumer = await runConsumer({
    kafka: connections.kafka,
    producer: connections.producer,
    log: connections.log,
    groupId: options.groupId,
    topics: options.topics,
    handle: options.handle,
    ...(options.handleTombstone ? { handleTombstone: options.handleTombstone } : {}),
    fromBeginning: options.fromBeginning ?? false,
    ...(options.concurrencyPerPartition ? { concurrencyPerPartition: options.concurrencyPerPartition } : {}),
    processed: redisProcessedEvents(connections.redis, { namespace: `${options.service}:${options.groupId}` }),
  });
  await consumer.joined;
  joined = true;
  return consumer;
}
