import type { Kafka } from '@vigil/kafka';
import { topicPair, type DeadLetter } from './dead-letter.ts';
import { fetchReplayMarks, readDeadLetters } from './dead-letter-topic.kafka.ts';
import { consumerGroupsOf, isReplayed } from './replay-marks.ts';

export interface ListDeadLettersCommand {
  kafka: Kafka;
  /** A topic of CONTRACT §8 or its DLQ (`vigil.challenges.v1` or `vigil.challenges.v1.dlq`). */
  topic: string;
  timeoutMs: number;
}

export interface ListedDeadLetter {
  letter: DeadLetter;
  replayed: boolean;
}

export interface DeadLetterListing {
  topic: string;
  dlqTopic: string;
  letters: ListedDeadLetter[];
}

export async function listDeadLetters(command: ListDeadLettersCommand): Promise<DeadLetterListing> {
  const { topic, dlqTopic } = topicPair(command.topic);
  const admin = command.kafka.admin();
  await admin.connect();
  try {
    const { letters } = await readDeadLetters(command.kafka, admin, dlqTopic, { timeoutMs: command.timeoutMs });
    const marks = await fetchReplayMarks(admin, dlqTopic, consumerGroupsOf(letters));
    return { topic, dlqTopic, letters: letters.map((letter) => ({ letter, replayed: isReplayed(letter, marks) })) };
  } finally {
    await admin.disconnect();
  }
}
