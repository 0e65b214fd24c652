import type { EachBatchHandler, EachBatchPayload, KafkaMessage } from 'kafkajs';
import type { Logger } from '@vigil/logger';
import type { DeadLetter } from './dead-letter-queue.ts';
import { inKeyOrder } from './key-order.ts';
import type { MessageProcessor } from './message-processing.ts';

export interface BatchSettings {
  process: MessageProcessor;
  deadLetter: (letter: DeadLetter) => Promise<void>;
  log: Logger;
  /** Messages of one partition in hand at once. */
  chunkSize: number;
  /** 0: kafkajs commits after every batch; else at most this often. */
  commitIntervalMs: number;
  commitAtOnce: ReadonlySet<string>;
  onLag?: ((topic: string, partition: number, lag: number) => void) | undefined;
}

/**
 * Handles a batch chunk by chunk (each chunk in key order) and returns the last message it finished, if any. A
 * message that cannot be handled goes to the DLQ and the partition moves on; if the DLQ cannot be written, this throws
 * and the batch is read again.
 */
async function handleChunks(settings: BatchSettings, payload: EachBatchPayload): Promise<KafkaMessage | undefined> {
  const { batch, resolveOffset, heartbeat, isRunning, isStale } = payload;
  const place = { topic: batch.topic, partition: batch.partition };
  const handleOne = async (message: KafkaMessage) => {
    const outcome = await settings.process(place, message, { heartbeat, isRunning });
    if (outcome.kind !== 'dead') return;
    settings.log.error({ ...place, offset: message.offset, reason: outcome.reason, error: outcome.error }, 'message sent to DLQ');
    await settings.deadLetter({ ...place, message, reason: outcome.reason, error: outcome.error });
  };
  let handled: KafkaMessage | undefined;
  for (let start = 0; start < batch.messages.length; start += settings.chunkSize) {
    if (!isRunning() || isStale()) break;
    const chunk = batch.messages.slice(start, start + settings.chunkSize);
    await inKeyOrder(chunk, handleOne);
    // Offsets move only past messages that are all done: a crash re-reads, never skips.
    handled = chunk.at(-1) as KafkaMessage;
    resolveOffset(handled.offset);
    await heartbeat();
  }
  return handled;
}

export function batchHandler(settings: BatchSettings): EachBatchHandler {
  return async (payload) => {
    const { batch, commitOffsetsIfNecessary } = payload;
    const handled = await handleChunks(settings, payload);
    // Only what was handled is committed: a batch left early (stopping, a rebalance) must not commit past the
    // messages it never reached — the readers' catch-up check and the writers' read-your-writes trust these offsets.
    if (settings.commitAtOnce.has(batch.topic) && handled && settings.commitIntervalMs > 0) {
      await commitOffsetsIfNecessary({ topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: String(BigInt(handled.offset) + 1n) }] }] });
    } else {
      await commitOffsetsIfNecessary();
    }
    if (settings.onLag && handled) settings.onLag(batch.topic, batch.partition, Math.max(0, Number(BigInt(batch.highWatermark) - BigInt(handled.offset) - 1n)));
  };
}
