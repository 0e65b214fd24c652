import type { Kafka } from 'kafkajs';
import { ALL_TOPICS, COMPACTED_TOPICS, dlqTopic } from '@vigil/events';

export interface TopicBootstrapOptions {
  partitions: number;
  replicationFactor: number;
}

export interface TopicPlan {
  topic: string;
  numPartitions: number;
  replicationFactor: number;
  configEntries: { name: string; value: string }[];
}

/** Every topic of CONTRACT §8 and its DLQ, with the settings they are created with. */
export function topicPlan(options: TopicBootstrapOptions): TopicPlan[] {
  return ALL_TOPICS.flatMap((topic) => {
    const compacted = COMPACTED_TOPICS.has(topic);
    const main: TopicPlan = {
      topic,
      numPartitions: options.partitions,
      replicationFactor: options.replicationFactor,
      configEntries: compacted
        ? [{ name: 'cleanup.policy', value: 'compact' }, { name: 'min.compaction.lag.ms', value: '0' }]
        : [{ name: 'cleanup.policy', value: 'delete' }, { name: 'retention.ms', value: String(7 * 24 * 3600 * 1000) }],
    };
    // DLQ messages wait for a person: keep them longer, and one partition keeps them in arrival order.
    const dlq: TopicPlan = {
      topic: dlqTopic(topic),
      numPartitions: 1,
      replicationFactor: options.replicationFactor,
      configEntries: [{ name: 'cleanup.policy', value: 'delete' }, { name: 'retention.ms', value: String(30 * 24 * 3600 * 1000) }],
    };
    return [main, dlq];
  });
}

/** Creates the topics that do not exist yet; existing topics are left as they are. Safe to run from every service. */
export async function ensureTopics(kafka: Kafka, options: TopicBootstrapOptions): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topicPlan(options).filter((plan) => !existing.has(plan.topic));
    if (missing.length > 0) {
      try {
        await admin.createTopics({ topics: missing, waitForLeaders: true });
      } catch (error) {
        // Another service created some of them at the same moment: fine, as long as they all exist now.
        const now = new Set(await admin.listTopics());
        if (missing.some((plan) => !now.has(plan.topic))) throw error;
      }
    }
    return missing.map((plan) => plan.topic);
  } finally {
    await admin.disconnect();
  }
}
