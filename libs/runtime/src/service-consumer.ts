import { Gauge, type Registry } from 'prom-client';
import { redisProcessedEvents, runConsumer, untilGroupCaughtUp, type EventHandler, type RunningConsumer, type TombstoneHandler } from '@vigil/kafka';
import type { OpenableCatchUpGate } from './catch-up-gate.ts';
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
  /** Topics whose writers wait for this group (read-your-writes): offsets committed after every batch. */
  commitAtOnce?: readonly string[];
  /** Opened once the group has applied these topics up to their end as of the join (see catch-up-gate.ts). */
  catchUp?: { topics: readonly string[]; gate: OpenableCatchUpGate };
}

/**
 * A service's consumer with the usual parts: DLQ through the service's producer, dedupe in its own Redis keys.
 * Resolves once the consumer has joined its group, so that what is published afterwards is seen. Services call it
 * after they listen: while a restarted instance waits for its dead predecessor to leave the group, it answers
 * /healthz, and /readyz says 503 until the join is done.
 */
const lagGauges = new WeakMap<Registry, Gauge<'group' | 'topic' | 'partition'>>();
const retryGauges = new WeakMap<Registry, Gauge<'group'>>();

function retryGauge(registry: Registry): Gauge<'group'> {
  let gauge = retryGauges.get(registry);
  if (!gauge) {
    gauge = new Gauge({ name: 'vigil_consumer_retrying', help: '1 while a handler of the group keeps failing for a transient reason (a dependency down) and is being retried', labelNames: ['group'] as const, registers: [registry] });
    retryGauges.set(registry, gauge);
  }
  return gauge;
}

/** One lag gauge per registry (a service may run several consumer groups). */
function lagGauge(registry: Registry): Gauge<'group' | 'topic' | 'partition'> {
  let gauge = lagGauges.get(registry);
  if (!gauge) {
    gauge = new Gauge({ name: 'vigil_consumer_lag_messages', help: 'Messages behind the high watermark after the last batch, per consumer group and partition', labelNames: ['group', 'topic', 'partition'] as const, registers: [registry] });
    lagGauges.set(registry, gauge);
  }
  return gauge;
}

/**
 * Opens the catch-up gate once the group has applied everything published to `topics` before it joined (ADR 0012);
 * a failed check is tried again until it passes or the consumer stops.
 */
async function openWhenCaughtUp(connections: Pick<ServiceConnections, 'kafka' | 'log'>, groupId: string, catchUp: NonNullable<ServiceConsumerOptions['catchUp']>, stopping: AbortSignal): Promise<void> {
  while (!stopping.aborted) {
    try {
      await untilGroupCaughtUp(connections.kafka, groupId, catchUp.topics, { signal: stopping });
      catchUp.gate.opened();
      connections.log.info({ groupId, topics: catchUp.topics }, 'caught up with what was published before the join');
      return;
    } catch (error) {
      if (stopping.aborted) return;
      connections.log.warn({ err: error, groupId }, 'catch-up check failed; retrying');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

export async function startServiceConsumer(connections: Pick<ServiceConnections, 'kafka' | 'redis' | 'producer' | 'log' | 'readiness' | 'metrics'>, options: ServiceConsumerOptions): Promise<RunningConsumer> {
  const lag = lagGauge(connections.metrics);
  const retrying = retryGauge(connections.metrics);
  retrying.set({ group: options.groupId }, 0);
  let joined = false;
  let stuck = false;
  // Not ready until the consumer is in its group: an instance that cannot see events yet should get no traffic. Not
  // ready either while its handlers cannot get through (a dependency down): what it would answer may be stale.
  const caughtUp = () => options.catchUp?.gate.open ?? true;
  connections.readiness.push({ name: `kafka-consumer:${options.groupId}`, check: async () => joined && !stuck && caughtUp() });
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
    ...(options.commitAtOnce ? { commitAtOnce: options.commitAtOnce } : {}),
    onRetrying: (now) => {
      stuck = now;
      retrying.set({ group: options.groupId }, now ? 1 : 0);
      connections.log[now ? 'warn' : 'info']({ groupId: options.groupId }, now ? 'event handlers retrying a transient failure' : 'event handlers recovered');
    },
    onLag: (topic, partition, behind) => lag.set({ group: options.groupId, topic, partition: String(partition) }, behind),
    processed: redisProcessedEvents(connections.redis, { namespace: `${options.service}:${options.groupId}` }),
  });
  await consumer.joined;
  joined = true;
  if (!options.catchUp) return consumer;
  const stopping = new AbortController();
  void openWhenCaughtUp(connections, options.groupId, options.catchUp, stopping.signal);
  return {
    ...consumer,
    async stop() {
      stopping.abort();
      await consumer.stop();
    },
  };
}
