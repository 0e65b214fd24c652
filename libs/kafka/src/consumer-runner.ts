import type { Consumer, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { decodeEvent, dlqTopic, eventLoggerFields, provenanceProblem, type VigilEvent } from '@vigil/events';
import type { Logger } from '@vigil/logger';
import type { EventProducer } from './event-producer.ts';
import type { ProcessedEvents } from './processed-events.ts';
import { context as otelContext } from '@opentelemetry/api';
import { endSpan, startProcessSpan } from './trace-headers.ts';
import { pinUncommittedOffsets } from './group-start.ts';
import { isTransientFailure } from './transient-errors.ts';

export interface MessageContext {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  headers: IHeaders;
  log: Logger;
}

export type EventHandler = (event: VigilEvent, context: MessageContext) => Promise<void>;
export type TombstoneHandler = (key: string, context: MessageContext) => Promise<void>;

export interface ConsumerRunnerOptions {
  kafka: Kafka;
  groupId: string;
  topics: readonly string[];
  handle: EventHandler;
  /** Null-valued messages of compacted topics; ignored when absent. */
  handleTombstone?: TombstoneHandler;
  /** Producer used for the DLQ. */
  producer: EventProducer;
  log: Logger;
  processed?: ProcessedEvents;
  fromBeginning?: boolean;
  /**
   * Attempts per message, for failures that are neither transient nor permanent (a bug), before it goes to the DLQ
   * (first try included). Transient failures (a dependency down) are retried until they pass; permanent ones
   * (`PermanentHandlerError`) go to the DLQ at once.
   */
  maxAttempts?: number;
  retryBaseMs?: number;
  partitionsConsumedConcurrently?: number;
  /**
   * Messages of one partition in hand at once (default 32). Messages with the same key are always handled one after
   * the other, in offset order; different keys run concurrently. Kafka orders only by key (keys hash to partitions),
   * so this keeps every ordering a handler can rely on.
   */
  concurrencyPerPartition?: number;
  sessionTimeoutMs?: number;
  /**
   * How often handled offsets are committed (default 500 ms with `processed`, else after every batch). A commit per
   * batch was the broker's largest cost under load; a stop or crash replays what was handled since the last commit,
   * which `processed` absorbs.
   */
  commitIntervalMs?: number;
  /** After each batch: how many messages of the partition are still behind its high watermark. */
  onLag?: (topic: string, partition: number, lag: number) => void;
  /**
   * Topics whose handled offsets are committed after every batch whatever commitIntervalMs says: writers of these
   * topics wait for this group's committed offset before they answer (read-your-writes, CONTRACT §2).
   */
  commitAtOnce?: readonly string[];
  /** A handler keeps failing for a transient reason (true) or has recovered (false): readiness and metrics. */
  onRetrying?: (retrying: boolean) => void;
}

export interface RunningConsumer {
  readonly groupId: string;
  /** Settles once the consumer has joined its group (after a crash, only when the dead member was evicted). */
  readonly joined: Promise<void>;
  /** Finishes the message in hand, commits what was handled, and leaves the group. */
  stop(): Promise<void>;
}

const MAX_ERROR_HEADER = 1_000;
const DEFAULT_CONCURRENCY = 32;

/** Runs `handle` over `messages`: one key's messages in order, different keys concurrently. */
async function inKeyOrder(messages: KafkaMessage[], handle: (message: KafkaMessage) => Promise<void>): Promise<void> {
  const byKey = new Map<string, KafkaMessage[]>();
  for (const message of messages) {
    const key = message.key?.toString('latin1') ?? '';
    const queue = byKey.get(key);
    if (queue) queue.push(message);
    else byKey.set(key, [message]);
  }
  await Promise.all([...byKey.values()].map(async (queue) => {
    for (const message of queue) await handle(message);
  }));
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What a handler's retries need of the batch they run in. */
interface BatchControl {
  heartbeat(): Promise<void>;
  isRunning(): boolean;
}

type Outcome = { kind: 'handled' } | { kind: 'duplicate' } | { kind: 'dead'; reason: 'invalid' | 'provenance' | 'failed'; error: string };

/**
 * validate → dedupe → handle (with retries) → commit. A message that fails validation, or keeps failing, is copied
 * with its original bytes to `<topic>.dlq` with an `error` header and the partition moves on: one bad message never
 * blocks a user's later events. If the DLQ cannot be written, the batch is not committed and is read again.
 */
export async function runConsumer(options: ConsumerRunnerOptions): Promise<RunningConsumer> {
  const maxAttempts = options.maxAttempts ?? 5;
  const retryBaseMs = options.retryBaseMs ?? 100;
  const chunkSize = Math.max(1, options.concurrencyPerPartition ?? DEFAULT_CONCURRENCY);
  const log = options.log.child({ component: 'consumer', groupId: options.groupId });
  const consumer: Consumer = options.kafka.consumer({
    groupId: options.groupId,
    // 10 s rather than kafkajs' 30 s: when an instance dies (SIGKILL, OOM), its partitions move 10 s later.
    sessionTimeout: options.sessionTimeoutMs ?? 10_000,
    heartbeatInterval: 3_000,
    // How long a rebalance waits for members to rejoin (kafkajs: 60 s). Members that joined and then died hold a
    // rebalance for this long, so a service that is killed repeatedly would stay without consumers for a minute.
    rebalanceTimeout: 20_000,
    allowAutoTopicCreation: false,
  });
  let stopping = false;

  const deadLetter = async (topic: string, partition: number, message: KafkaMessage, reason: string, error: string) => {
    await options.producer.sendRaw(dlqTopic(topic), [{
      key: message.key,
      value: message.value,
      headers: {
        ...message.headers,
        error: error.slice(0, MAX_ERROR_HEADER),
        'error-kind': reason,
        'original-topic': topic,
        'original-partition': String(partition),
        'original-offset': message.offset,
        'original-timestamp': message.timestamp,
        'consumer-group': options.groupId,
      },
    }]);
  };

  let retrying = 0;
  const handleWithRetries = async (event: VigilEvent, context: MessageContext, batch: BatchControl): Promise<Outcome> => {
    let failures = 0;
    let counted = false;
    try {
      for (let attempt = 1; ; attempt += 1) {
        try {
          await options.handle(event, context);
          return { kind: 'handled' };
        } catch (error) {
          const failure = error as Error & { retryable?: boolean };
          const transient = failure.retryable !== false && isTransientFailure(failure);
          if (!transient) failures += 1;
          const final = failure.retryable === false || failures >= maxAttempts;
          context.log.warn({ err: failure, attempt, transient, final }, 'event handler failed');
          // Stopping: leave the message uncommitted for the partition's next owner rather than park it.
          if (stopping || !batch.isRunning()) throw failure;
          if (final) return { kind: 'dead', reason: 'failed', error: `${failure.name}: ${failure.message}` };
          if (transient && !counted) {
            counted = true;
            if (retrying++ === 0) options.onRetrying?.(true);
          }
          // Waiting out an outage keeps the membership: without heartbeats the group would evict this member. If the
          // group is rebalancing (or has evicted it), the heartbeat throws: the batch is abandoned uncommitted, kafkajs
          // rejoins, and the partition's next owner handles the message.
          await batch.heartbeat();
          await sleep(Math.min(retryBaseMs * 2 ** Math.min(attempt - 1, 16), 5_000) * (0.5 + Math.random() / 2));
        }
      }
    } finally {
      if (counted && --retrying === 0) options.onRetrying?.(false);
    }
  };

  const processMessage = async (topic: string, partition: number, message: KafkaMessage, batch: BatchControl): Promise<Outcome> => {
    const key = message.key?.toString('utf8') ?? null;
    const base = { topic, partition, offset: message.offset, key, headers: message.headers ?? {} };
    if (message.value === null) {
      if (key !== null && options.handleTombstone) await options.handleTombstone(key, { ...base, log });
      return { kind: 'handled' };
    }
    const decoded = decodeEvent(message.value);
    if (!decoded.ok) return { kind: 'dead', reason: 'invalid', error: decoded.error };
    const event = decoded.event;
    const misplaced = provenanceProblem(event, topic);
    if (misplaced !== null) return { kind: 'dead', reason: 'provenance', error: misplaced };
    // The child logger is made on first use: pino serialises (and redacts) bindings at child(), a cost per message
    // that showed in profiles although handlers log only on trouble.
    let eventLog: Logger | undefined;
    const context: MessageContext = { ...base, get log() {
      eventLog ??= log.child(eventLoggerFields(event));
      return eventLog;
    } };
    if (options.processed && (await options.processed.has(event.id))) return { kind: 'duplicate' };
    // The handler runs in the producer's trace: what it publishes or calls carries the same trace onward.
    const trace = startProcessSpan(topic, partition, message.headers ?? {});
    trace.span.setAttribute('cloudevents.event_type', event.type);
    const outcome = await otelContext.with(trace.context, () => handleWithRetries(event, context, batch));
    endSpan(trace.span, outcome.kind === 'dead' ? outcome.error : undefined);
    if (outcome.kind === 'handled') await options.processed?.add(event.id);
    return outcome;
  };

  // With dedupe, kafkajs commits at most every commitIntervalMs (checked at the end of each batch, inside its own
  // rebalance handling); without it, after every batch.
  const commitIntervalMs = options.processed ? (options.commitIntervalMs ?? 500) : 0;
  const commitAtOnce = new Set(options.commitAtOnce ?? []);

  if (!options.fromBeginning) await pinUncommittedOffsets(options.kafka, options.groupId, options.topics, log);
  await consumer.connect();
  await consumer.subscribe({ topics: [...options.topics], fromBeginning: options.fromBeginning ?? false });
  // Not awaited: joining waits for a dead predecessor's session to time out, and the service should answer HTTP
  // (and readiness) meanwhile; events wait in Kafka until the join completes.
  const joined = consumer.run({
    eachBatchAutoResolve: false,
    autoCommit: commitIntervalMs === 0,
    ...(commitIntervalMs > 0 ? { autoCommitInterval: commitIntervalMs } : {}),
    partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 4,
    eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }) => {
      const handleOne = async (message: KafkaMessage) => {
        const outcome = await processMessage(batch.topic, batch.partition, message, { heartbeat, isRunning });
        if (outcome.kind !== 'dead') return;
        log.error({ topic: batch.topic, partition: batch.partition, offset: message.offset, reason: outcome.reason, error: outcome.error }, 'message sent to DLQ');
        await deadLetter(batch.topic, batch.partition, message, outcome.reason, outcome.error);
      };
      let handled: KafkaMessage | undefined;
      for (let start = 0; start < batch.messages.length; start += chunkSize) {
        if (!isRunning() || isStale()) break;
        const chunk = batch.messages.slice(start, start + chunkSize);
        await inKeyOrder(chunk, handleOne);
        // Offsets move only past messages that are all done: a crash re-reads, never skips.
        handled = chunk.at(-1) as KafkaMessage;
        resolveOffset(handled.offset);
        await heartbeat();
      }
      // Only what was handled is committed: a batch left early (stopping, a rebalance) must not commit past the
      // messages it never reached — the readers' catch-up check and the writers' read-your-writes trust these offsets.
      if (commitAtOnce.has(batch.topic) && handled && commitIntervalMs > 0) {
        await commitOffsetsIfNecessary({ topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: String(BigInt(handled.offset) + 1n) }] }] });
      } else {
        await commitOffsetsIfNecessary();
      }
      if (options.onLag && handled) options.onLag(batch.topic, batch.partition, Math.max(0, Number(BigInt(batch.highWatermark) - BigInt(handled.offset) - 1n)));
    },
  });

  joined.catch((error: unknown) => log.error({ err: error }, 'consumer could not join its group'));

  return {
    groupId: options.groupId,
    joined,
    async stop() {
      if (stopping) return;
      stopping = true;
      // kafkajs waits for the batch in hand; the loop above stops after its current chunk. With interval commits, up
      // to commitIntervalMs of handled messages are read again by the next owner, and `processed` drops them.
      await consumer.disconnect();
    },
  };
}
