// Reads back the messages dead letters say they came from, so that a replay republishes only what really was on the
// topic. Every consumer principal may write the DLQ of what it reads (to park messages): without this check a
// compromised service could plant a letter and have an operator's replay publish it on a topic it may not write.
import { randomUUID } from 'node:crypto';
import type { Kafka } from '@vigil/kafka';
import type { DeadLetter } from './dead-letter.ts';

const position = (partition: number, offset: string) => `${partition}@${offset}`;
const same = (a: Buffer | null, b: Buffer | null) => (a === null || b === null ? a === b : a.equals(b));

/**
 * Splits letters into those whose original message is on `topic` at the partition and offset their headers name,
 * with the same key and value, and the others (planted, or compacted or expired away since they were parked).
 */
export async function checkOriginals(kafka: Kafka, topic: string, letters: readonly DeadLetter[], timeoutMs: number): Promise<{ genuine: DeadLetter[]; unverified: DeadLetter[] }> {
  const wanted = new Map<number, bigint>();
  for (const letter of letters) {
    if (letter.originalPartition === null || letter.originalOffset === null || letter.originalTopicHeader !== topic) continue;
    const offset = BigInt(letter.originalOffset);
    const first = wanted.get(letter.originalPartition);
    if (first === undefined || offset < first) wanted.set(letter.originalPartition, offset);
  }
  const originals = wanted.size === 0 ? new Map<string, { key: Buffer | null; value: Buffer | null }>() : await readFrom(kafka, topic, wanted, letters, timeoutMs);
  const genuine: DeadLetter[] = [];
  const unverified: DeadLetter[] = [];
  for (const letter of letters) {
    const original = letter.originalPartition === null || letter.originalOffset === null ? undefined : originals.get(position(letter.originalPartition, letter.originalOffset));
    (original && same(original.key, letter.key) && same(original.value, letter.value) ? genuine : unverified).push(letter);
  }
  return { genuine, unverified };
}

/** The messages at the letters' positions, read from the earliest wanted offset of each partition on. */
async function readFrom(kafka: Kafka, topic: string, from: Map<number, bigint>, letters: readonly DeadLetter[], timeoutMs: number) {
  const needed = new Set(letters.flatMap((letter) => (letter.originalPartition === null || letter.originalOffset === null ? [] : [position(letter.originalPartition, letter.originalOffset)])));
  const found = new Map<string, { key: Buffer | null; value: Buffer | null }>();
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map((await admin.fetchTopicOffsets(topic)).map((entry) => [entry.partition, BigInt(entry.high)]));
  const groupId = `vigil-dlq-verify-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId });
  const passed = new Map<number, boolean>();
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const done = () => [...from.keys()].every((partition) => passed.get(partition) ?? (ends.get(partition) ?? 0n) <= (from.get(partition) ?? 0n));
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: false });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        if (!from.has(partition)) return;
        const key = position(partition, message.offset);
        if (needed.has(key)) found.set(key, { key: message.key, value: message.value });
        if (BigInt(message.offset) + 1n >= (ends.get(partition) ?? 0n)) passed.set(partition, true);
        if (found.size === needed.size || done()) finish();
      },
    });
    for (const [partition, offset] of from) consumer.seek({ topic, partition, offset: String(offset) });
    if (done()) finish();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([finished, new Promise<void>((resolve) => { timer = setTimeout(resolve, timeoutMs); })]);
    clearTimeout(timer);
    return found;
  } finally {
    await consumer.disconnect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}
