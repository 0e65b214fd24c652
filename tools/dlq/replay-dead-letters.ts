import { EventProducer, type Kafka } from '@vigil/kafka';
import { originalMessage, topicPair, type DeadLetter } from './dead-letter.ts';
import { assertReplayGroupIdle, fetchReplayMarks, readDeadLetters } from './dead-letter-topic.kafka.ts';
import { checkOriginals } from './original-messages.kafka.ts';
import { consumerGroupsOf, replayGroupFor, selectForReplay, type ReplaySelection } from './replay-marks.ts';

export interface ReplayDeadLettersCommand {
  kafka: Kafka;
  /** A topic of CONTRACT §8 or its DLQ. */
  topic: string;
  /** Only the letters parked by this consumer group (the `consumer-group` header). */
  consumerGroup: string | null;
  /** Say what would be replayed; publish and mark nothing. */
  dryRun: boolean;
  /** Publish letters whose original message can no longer be found too (compacted or expired away). */
  unverified: boolean;
  timeoutMs: number;
}

export interface ReplayResult extends ReplaySelection {
  topic: string;
  dlqTopic: string;
  /** Letters not published: their original is not on the topic (planted, or gone since) — unless `unverified`. */
  refused: DeadLetter[];
}

/** Bounds one produce request; each chunk is acknowledged by all in-sync replicas before the next one leaves. */
const CHUNK = 200;

async function publish(kafka: Kafka, topic: string, letters: readonly DeadLetter[]): Promise<void> {
  if (letters.length === 0) return;
  // The services' producer: idempotent, acks=all, one request in flight, keyed partitioning — a letter goes back
  // to the partition of its key, in DLQ order, and a retried send never duplicates it.
  const producer = new EventProducer(kafka);
  await producer.connect();
  try {
    for (let start = 0; start < letters.length; start += CHUNK) {
      await producer.sendRaw(topic, letters.slice(start, start + CHUNK).map((letter) => {
        const { key, value, headers } = originalMessage(letter);
        return { key, value, headers };
      }));
    }
  } finally {
    await producer.disconnect();
  }
}

/**
 * Reads the DLQ with the replay group from its committed offset, re-publishes the letters no replay has covered yet,
 * and only then commits the group's offset to where reading stopped: a replay is recorded once Kafka has
 * acknowledged it. If the process dies in between, the next replay publishes the same letters again, which consumers
 * drop by CloudEvents id. A dry run reads with a throwaway group and commits nothing.
 */
export async function replayDeadLetters(command: ReplayDeadLettersCommand): Promise<ReplayResult> {
  const { topic, dlqTopic } = topicPair(command.topic);
  const markGroup = replayGroupFor(command.consumerGroup);
  const admin = command.kafka.admin();
  await admin.connect();
  try {
    if (!command.dryRun) await assertReplayGroupIdle(admin, markGroup);
    let selection: ReplaySelection = { published: [], copies: [], alreadyReplayed: 0, filteredOut: 0 };
    let refused: DeadLetter[] = [];
    await readDeadLetters(command.kafka, admin, dlqTopic, {
      timeoutMs: command.timeoutMs,
      ...(command.dryRun ? {} : { groupId: markGroup }),
      whileJoined: async (read) => {
        const marks = await fetchReplayMarks(admin, dlqTopic, consumerGroupsOf(read.letters));
        selection = selectForReplay(read.letters, marks, command.consumerGroup);
        selection.alreadyReplayed += read.skipped;
        if (!command.unverified) {
          const checked = await checkOriginals(command.kafka, topic, selection.published, command.timeoutMs);
          selection.published = checked.genuine;
          refused = checked.unverified;
        }
        if (command.dryRun) return null;
        await publish(command.kafka, topic, selection.published);
        return read.ends;
      },
    });
    return { topic, dlqTopic, ...selection, refused };
  } finally {
    await admin.disconnect();
  }
}
