import type { Consumer } from 'kafkajs';
import type { ConsumerRunnerOptions, RunningConsumer } from './consumer-options.ts';
import { batchHandler, type BatchSettings } from './batch-handling.ts';
import { deadLetterQueue } from './dead-letter-queue.ts';
import { pinUncommittedOffsets } from './group-start.ts';
import { retryingHandler } from './handler-retries.ts';
import { messageProcessor } from './message-processing.ts';

export type { ConsumerRunnerOptions, EventHandler, MessageContext, RunningConsumer, TombstoneHandler } from './consumer-options.ts';

const DEFAULT_CONCURRENCY = 32;

function groupConsumer(options: ConsumerRunnerOptions): Consumer {
  return options.kafka.consumer({
    groupId: options.groupId,
    // 10 s rather than kafkajs' 30 s: when an instance dies (SIGKILL, OOM), its partitions move 10 s later.
    sessionTimeout: options.sessionTimeoutMs ?? 10_000,
    heartbeatInterval: 3_000,
    // How long a rebalance waits for members to rejoin (kafkajs: 60 s). Members that joined and then died hold a
    // rebalance for this long, so a service that is killed repeatedly would stay without consumers for a minute.
    rebalanceTimeout: 20_000,
    allowAutoTopicCreation: false,
  });
}

/** How each batch is handled: the message pipeline, the DLQ, chunking and when offsets are committed. */
function batchSettings(options: ConsumerRunnerOptions, stopping: () => boolean): BatchSettings {
  const log = options.log.child({ component: 'consumer', groupId: options.groupId });
  const handle = retryingHandler({ handle: options.handle, maxAttempts: options.maxAttempts ?? 5, retryBaseMs: options.retryBaseMs ?? 100, onRetrying: options.onRetrying, stopping });
  return {
    process: messageProcessor({ handle, handleTombstone: options.handleTombstone, processed: options.processed, log }),
    deadLetter: deadLetterQueue(options.producer, options.groupId),
    log,
    chunkSize: Math.max(1, options.concurrencyPerPartition ?? DEFAULT_CONCURRENCY),
    // With dedupe, kafkajs commits at most every commitIntervalMs (checked at the end of each batch, inside its own
    // rebalance handling); without it, after every batch.
    commitIntervalMs: options.processed ? (options.commitIntervalMs ?? 500) : 0,
    commitAtOnce: new Set(options.commitAtOnce ?? []),
    onLag: options.onLag,
  };
}

/**
 * validate → dedupe → handle (with retries) → commit. A message that fails validation, or keeps failing, is copied
 * with its original bytes to `<topic>.dlq` with an `error` header and the partition moves on: one bad message never
 * blocks a user's later events. If the DLQ cannot be written, the batch is not committed and is read again.
 */
export async function runConsumer(options: ConsumerRunnerOptions): Promise<RunningConsumer> {
  const consumer = groupConsumer(options);
  let stopping = false;
  const settings = batchSettings(options, () => stopping);
  const { log, commitIntervalMs } = settings;

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
    eachBatch: batchHandler(settings),
  });

  joined.catch((error: unknown) => log.error({ err: error }, 'consumer could not join its group'));

  return {
    groupId: options.groupId,
    joined,
    async stop() {
      if (stopping) return;
      stopping = true;
      // kafkajs waits for the batch in hand; its chunk loop (batch-handling.ts) stops after the current chunk. With
      // interval commits, up to commitIntervalMs of handled messages are read again by the next owner, and
      // `processed` drops them.
      await consumer.disconnect();
    },
  };
}
