import type { Kafka } from 'kafkajs';
import type { Logger } from '@vigil/logger';

/**
 * A consumer group that starts "from now" has no committed offset until it has handled something on a partition, and
 * kafkajs resolves such a partition to its latest offset whenever it is assigned — on every rebalance, not only the
 * first. So an event published to a quiet partition while a new group rebalanced (a second instance joining minutes
 * after the first) could be skipped. Committing the current end of every partition without an offset, when the group
 * first starts, fixes its starting point once: whatever is published afterwards is read.
 *
 * Best effort: Kafka refuses offset changes while the group has members, and then some instance is already running
 * (and has pinned the offsets itself, or is reading from a point fixed earlier).
 */
export async function pinUncommittedOffsets(kafka: Kafka, groupId: string, topics: readonly string[], log: Logger): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const committed = await admin.fetchOffsets({ groupId, topics: [...topics] });
    for (const { topic, partitions } of committed) {
      const missing = new Set(partitions.filter((partition) => Number(partition.offset) < 0).map((partition) => partition.partition));
      if (missing.size === 0) continue;
      const ends = (await admin.fetchTopicOffsets(topic)).filter((end) => missing.has(end.partition));
      await admin.setOffsets({ groupId, topic, partitions: ends.map((end) => ({ partition: end.partition, offset: end.high })) });
    }
  } catch (error) {
    log.debug({ err: error, groupId }, 'group offsets not pinned (another instance is running)');
  } finally {
    await admin.disconnect();
  }
}
