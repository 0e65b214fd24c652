// What has been replayed is Kafka's own bookkeeping: the committed offsets of dedicated consumer groups on the DLQ
// topic. Letters below a group's committed offset have been re-published. Nothing else stores state, so the marks
// survive restarts, are shared by every operator, and show in any Kafka tool (`kafka-consumer-groups --describe`).
import { originalMessageId, type DeadLetter } from './dead-letter.ts';

/** The group whose offset marks a replay of every letter of the DLQ. */
export const REPLAY_GROUP = 'vigil-dlq-replay';

/**
 * `replay --group G` re-publishes only the letters parked by consumer group G, so it cannot move the offset that
 * stands for all letters: it has a group of its own, which marks only G's letters.
 */
export function replayGroupFor(consumerGroup: string | null): string {
  return consumerGroup === null ? REPLAY_GROUP : `${REPLAY_GROUP}.${consumerGroup}`;
}

/** Committed offset per DLQ partition (absent: nothing replayed there yet). */
export type PartitionMarks = ReadonlyMap<number, bigint>;

export interface ReplayMarks {
  all: PartitionMarks;
  byConsumerGroup: ReadonlyMap<string, PartitionMarks>;
}

export function isReplayed(letter: DeadLetter, marks: ReplayMarks): boolean {
  const below = (partitionMarks: PartitionMarks | undefined) => letter.dlqOffset < (partitionMarks?.get(letter.dlqPartition) ?? 0n);
  if (below(marks.all)) return true;
  return letter.consumerGroup !== null && below(marks.byConsumerGroup.get(letter.consumerGroup));
}

/** Consumer groups whose marks matter for these letters. */
export function consumerGroupsOf(letters: readonly DeadLetter[]): string[] {
  return [...new Set(letters.flatMap((letter) => (letter.consumerGroup === null ? [] : [letter.consumerGroup])))];
}

export interface ReplaySelection {
  /** Letters re-published now (or that would be, on a dry run), one per original message. */
  published: DeadLetter[];
  /** Further letters of the same original messages (parked by several consumer groups): covered by `published`. */
  copies: DeadLetter[];
  alreadyReplayed: number;
  /** Letters of other consumer groups, left alone because of `consumerGroup`. */
  filteredOut: number;
}

/** The letters a replay publishes: pending ones, of `consumerGroup` if given, one per original message. */
export function selectForReplay(letters: readonly DeadLetter[], marks: ReplayMarks, consumerGroup: string | null): ReplaySelection {
  const selection: ReplaySelection = { published: [], copies: [], alreadyReplayed: 0, filteredOut: 0 };
  const seen = new Set<string>();
  for (const letter of letters) {
    if (consumerGroup !== null && letter.consumerGroup !== consumerGroup) selection.filteredOut += 1;
    else if (isReplayed(letter, marks)) selection.alreadyReplayed += 1;
    else {
      const id = originalMessageId(letter);
      (id !== null && seen.has(id) ? selection.copies : selection.published).push(letter);
      if (id !== null) seen.add(id);
    }
  }
  return selection;
}
