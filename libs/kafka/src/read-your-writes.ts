import type { Admin, Kafka } from 'kafkajs';
import type { Landed } from './event-producer.ts';
import { ReadersBehindError } from './errors.ts';

export interface ReaderGroupsOptions {
  /** The consumer groups that must have applied a write before its writer answers (CONTRACT §2). */
  groups: readonly string[];
  /** How long a writer may hold its answer (CONTRACT §2: at most 2 s). */
  timeoutMs: number;
  pollMs?: number;
}

export interface ReaderGroups {
  /** Resolves once every live reader group has committed past the end, as of now, of each partition written. */
  waitFor(landed: readonly Landed[]): Promise<void>;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Per topic written, the end offset (read now) of each partition written. */
type Targets = Map<string, Map<number, bigint>>;

async function endsOfWrittenPartitions(admin: Admin, landed: readonly Landed[]): Promise<Targets> {
  const targets: Targets = new Map();
  for (const topic of new Set(landed.map((entry) => entry.topic))) {
    const written = new Set(landed.filter((entry) => entry.topic === topic).map((entry) => entry.partition));
    const ends = await admin.fetchTopicOffsets(topic);
    targets.set(topic, new Map(ends.filter((end) => written.has(end.partition)).map((end) => [end.partition, BigInt(end.high)])));
  }
  return targets;
}

async function groupsWithMembers(admin: Admin, groups: readonly string[]): Promise<string[]> {
  const described = await admin.describeGroups([...groups]);
  return described.groups.filter((group) => group.members.length > 0).map((group) => group.groupId);
}

/** Every partition a group has not yet applied up to its target, as `<group> <topic>[<partition>] at <offset> < <target>`. */
async function groupsBehind(admin: Admin, groupIds: readonly string[], targets: Targets): Promise<string[]> {
  const behind: string[] = [];
  for (const groupId of groupIds) {
    const committed = await admin.fetchOffsets({ groupId, topics: [...targets.keys()] });
    for (const { topic, partitions } of committed) {
      for (const [partition, target] of targets.get(topic) ?? []) {
        const at = partitions.find((entry) => entry.partition === partition)?.offset ?? '-1';
        if (BigInt(at) < target) behind.push(`${groupId} ${topic}[${partition}] at ${at} < ${target}`);
      }
    }
  }
  return behind;
}

/**
 * Read-your-writes from Kafka's own bookkeeping: a reader group's committed offset on a partition says exactly how
 * far it has applied that partition (its consumers commit such topics after each batch). The target is the
 * partition's end offset read after the write was acknowledged, so it covers the write whatever record of the batch
 * was ours. A group without members serves nobody and is not waited for: its next member reads from its committed
 * offset before it can act.
 */
export function readerGroups(kafka: Kafka, options: ReaderGroupsOptions): ReaderGroups {
  const admin = kafka.admin();
  let connected: Promise<void> | null = null;
  const pollMs = options.pollMs ?? 5;
  return {
    async waitFor(landed) {
      if (options.groups.length === 0 || landed.length === 0) return;
      connected ??= admin.connect().catch((error: unknown) => {
        connected = null;
        throw error;
      });
      await connected;
      const deadline = Date.now() + options.timeoutMs;
      const targets = await endsOfWrittenPartitions(admin, landed);
      const live = await groupsWithMembers(admin, options.groups);
      for (;;) {
        const behind = await groupsBehind(admin, live, targets);
        if (behind.length === 0) return;
        if (Date.now() >= deadline) throw new ReadersBehindError(behind);
        await sleep(pollMs);
      }
    },
    async close() {
      if (connected) await admin.disconnect();
    },
  };
}

/**
 * The reader's half (CONTRACT §2, ARCHITECTURE §8): resolves once `groupId` has committed, on every partition of
 * `topics` that holds records, at least that partition's end offset as read when this is called. A member that has just
 * joined calls it: every change published before the join (including those whose writers did not wait, because the
 * group then had no members) is applied once it resolves. Polls until `signal` aborts.
 */
export async function untilGroupCaughtUp(kafka: Kafka, groupId: string, topics: readonly string[], options: { pollMs?: number; signal?: AbortSignal } = {}): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const targets = new Map<string, Map<number, bigint>>();
    for (const topic of topics) {
      const ends = await admin.fetchTopicOffsets(topic);
      targets.set(topic, new Map(ends.filter((end) => BigInt(end.high) > BigInt(end.low)).map((end) => [end.partition, BigInt(end.high)])));
    }
    for (;;) {
      options.signal?.throwIfAborted();
      const committed = await admin.fetchOffsets({ groupId, topics: [...topics] });
      const behind = committed.some(({ topic, partitions }) => [...(targets.get(topic) ?? [])].some(([partition, target]) =>
        BigInt(partitions.find((entry) => entry.partition === partition)?.offset ?? '-1') < target));
      if (!behind) return;
      await sleep(options.pollMs ?? 20);
    }
  } finally {
    await admin.disconnect();
  }
}

export interface GroupProgress {
  /**
   * True when, as of this call, `groupId` has committed at least the end offset of every partition of `topics` that
   * holds records: everything published before the call is applied by the group (whichever member applied it).
   */
  appliedUpToNow(): Promise<boolean>;
  close(): Promise<void>;
}

/** A long-lived admin client asking whether a group has applied its topics up to now (CONTRACT §2, reader side). */
export function groupProgress(kafka: Kafka, groupId: string, topics: readonly string[]): GroupProgress {
  const admin = kafka.admin();
  let connected: Promise<void> | null = null;
  return {
    async appliedUpToNow() {
      connected ??= admin.connect().catch((error: unknown) => {
        connected = null;
        throw error;
      });
      await connected;
      const ends = new Map<string, Map<number, bigint>>();
      for (const topic of topics) {
        const offsets = await admin.fetchTopicOffsets(topic);
        ends.set(topic, new Map(offsets.filter((end) => BigInt(end.high) > BigInt(end.low)).map((end) => [end.partition, BigInt(end.high)])));
      }
      const committed = await admin.fetchOffsets({ groupId, topics: [...topics] });
      return committed.every(({ topic, partitions }) => [...(ends.get(topic) ?? [])].every(([partition, end]) =>
        BigInt(partitions.find((entry) => entry.partition === partition)?.offset ?? '-1') >= end));
    },
    async close() {
      if (connected) await admin.disconnect().catch(() => undefined);
    },
  };
}
