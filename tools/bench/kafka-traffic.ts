// How many Kafka messages the platform moved: records appended to the Vigil topics (produced) and offsets committed
// by every consumer group on them (consumed). Read before and after a phase; the difference per flow is what one push
// costs the event backbone.
import { ALL_TOPICS } from '@vigil/events';
import { createKafka } from '@vigil/kafka';
import { createLogger } from '@vigil/logger';

export interface KafkaTraffic {
  produced: number;
  consumed: number;
}

export async function readKafkaTraffic(brokers: string[]): Promise<KafkaTraffic> {
  const kafka = createKafka({ brokers, clientId: 'vigil-bench-traffic', log: createLogger({ name: 'bench-kafka', level: 'error' }) });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = [...ALL_TOPICS];
    let produced = 0;
    for (const topic of topics) {
      for (const partition of await admin.fetchTopicOffsets(topic)) produced += Number(partition.high);
    }
    let consumed = 0;
    const { groups } = await admin.listGroups();
    for (const { groupId } of groups) {
      for (const { partitions } of await admin.fetchOffsets({ groupId, topics })) {
        for (const partition of partitions) consumed += Math.max(0, Number(partition.offset));
      }
    }
    return { produced, consumed };
  } finally {
    await admin.disconnect();
  }
}
