// Kafka I/O of the DLQ tool: read a DLQ topic to its end (committing a replay group's offset), read the replay marks.
import { randomUUID } from 'node:crypto';
import type { Kafka } from '@vigil/kafka';
import { parseDeadLetter, type DeadLetter, type RawMessage } from './dead-letter.ts';
import { DlqError } from './dlq-error.ts';
import { replayGroupFor, type PartitionMarks, type ReplayMarks } from './replay-marks.ts';

export type Admin = ReturnType<Kafka['admin']>;

export interface DeadLetterTopic {
  dlqTopic: string;
  letters: DeadLetter[];
  /** The high watermark of each partition when reading started: every letter below it was read or skipped. */
  ends: PartitionMarks;
  /** Letters below the reading group's committed offset, not read again (a replay group's: replayed already). */
  skipped: number;
}

const max = (a: bigint, b: bigint) => (a > b ? a : b);
const min = (a: bigint, b: bigint) => (a < b ? a : b);

function byPosition(a: DeadLetter, b: DeadLetter): number {
  if (a.dlqPartition !== b.dlqPartition) return a.dlqPartition - b.dlqPartition;
  return a.dlqOffset < b.dlqOffset ? -1 : a.dlqOffset > b.dlqOffset ? 1 : 0;
}

export interface ReadOptions {
  /**
   * The group that reads. Absent: a throwaway group (deleted afterwards) that reads from the start. A replay reads
   * with its replay group, from the group's committed offset on: only letters it has not replayed yet.
   */
  groupId?: string;
  timeoutMs: number;
  /**
   * Runs once the topic is read, while the group still owns its partitions (a replay publishes here); the offsets it
   * returns are then committed for the group.
   */
  whileJoined?: (read: DeadLetterTopic) => Promise<PartitionMarks | null>;
}

/**
 * Every letter of `dlq` (from the reading group's committed offset) up to the high watermarks taken when reading
 * starts; letters parked meanwhile wait for the next run. Fails with `read_timeout` instead of waiting for ever on a
 * broker that does not answer.
 */
export async function readDeadLetters(kafka: Kafka, admin: Admin, dlq: string, options: ReadOptions): Promise<DeadLetterTopic> {
  if (!(await admin.listTopics()).includes(dlq)) throw new DlqError('topic_missing', `no topic ${dlq} on the broker`);
  const offsets = await admin.fetchTopicOffsets(dlq);
  const committed = options.groupId ? await committedOffsets(admin, options.groupId, dlq) : new Map<number, bigint>();
  const ends: PartitionMarks = new Map(offsets.map((entry) => [entry.partition, BigInt(entry.high)]));
  const next = new Map(offsets.map(({ partition, low }) => [partition, max(BigInt(low), committed.get(partition) ?? 0n)]));
  const atEnd = () => [...ends].every(([partition, end]) => (next.get(partition) ?? 0n) >= end);
  const skipped = offsets.reduce((sum, { partition, low, high }) => sum + Number(min(next.get(partition) ?? 0n, BigInt(high)) - BigInt(low)), 0);
  const letters: DeadLetter[] = [];
  const read = (): DeadLetterTopic => ({ dlqTopic: dlq, letters: letters.sort(byPosition), ends, skipped });
  if (atEnd()) {
    // Nothing to read, so no group to join; nothing new to commit either.
    await options.whileJoined?.(read());
    return read();
  }

  const groupId = options.groupId ?? `vigil-dlq-reader-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 250 });
  try {
    await untilRead(consumer, dlq, options.timeoutMs, (partition, messages, lastOffset) => {
      const end = ends.get(partition) ?? 0n;
      for (const message of messages) if (BigInt(message.offset) < end) letters.push(parseDeadLetter(dlq, partition, message));
      next.set(partition, BigInt(lastOffset) + 1n);
      return atEnd();
    });
    const marks = await options.whileJoined?.(read());
    if (marks) await consumer.commitOffsets([...marks].map(([partition, offset]) => ({ topic: dlq, partition, offset: offset.toString() })));
  } finally {
    await consumer.disconnect();
    // Best effort: an empty reader group would only linger until offsets.retention.minutes.
    if (!options.groupId) await admin.deleteGroups([groupId]).catch(() => undefined);
  }
  return read();
}

type Consumer = ReturnType<Kafka['consumer']>;

/** Runs the consumer until `take` says every partition is read; the consumer stays in its group afterwards. */
function untilRead(consumer: Consumer, topic: string, timeoutMs: number, take: (partition: number, messages: RawMessage[], lastOffset: string) => boolean): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return new Promise<void>((resolve, reject) => {
    timer = setTimeout(() => reject(new DlqError('read_timeout', `${topic} was not read to its end within ${timeoutMs / 1000} s`)), timeoutMs);
    consumer.on(consumer.events.CRASH, ({ payload }) => void (payload.restart || reject(payload.error)));
    const reading = async () => {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({
        // Offsets are committed only by `whileJoined`, once a replay is acknowledged.
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          if (take(batch.partition, batch.messages, batch.lastOffset())) resolve();
        },
      });
    };
    reading().catch(reject);
  }).finally(() => clearTimeout(timer));
}

async function committedOffsets(admin: Admin, groupId: string, topic: string): Promise<Map<number, bigint>> {
  const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
  const marks = new Map<number, bigint>();
  for (const { partition, offset } of entry?.partitions ?? []) if (Number(offset) >= 0) marks.set(partition, BigInt(offset));
  return marks;
}

/** The marks of the all-letters replay group and of the per-consumer-group ones that matter. */
export async function fetchReplayMarks(admin: Admin, dlq: string, consumerGroups: readonly string[]): Promise<ReplayMarks> {
  const all = await committedOffsets(admin, replayGroupFor(null), dlq);
  const byConsumerGroup = new Map<string, PartitionMarks>();
  for (const consumerGroup of consumerGroups) byConsumerGroup.set(consumerGroup, await committedOffsets(admin, replayGroupFor(consumerGroup), dlq));
  return { all, byConsumerGroup };
}

/**
 * A replay group with members means another replay is running right now: joining it would split the partitions, and
 * both would publish. Checked before joining; what is left of the race, consumers absorb by CloudEvents id.
 */
export async function assertReplayGroupIdle(admin: Admin, groupId: string): Promise<void> {
  const { groups } = await admin.describeGroups([groupId]);
  const state = groups[0]?.state ?? 'Dead';
  if (state !== 'Empty' && state !== 'Dead') throw new DlqError('replay_running', `another replay is running (consumer group ${groupId} is ${state}); try again when it has finished`);
}
