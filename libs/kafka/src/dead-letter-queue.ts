import type { KafkaMessage } from 'kafkajs';
import { dlqTopic } from '@vigil/events';
import type { EventProducer } from './event-producer.ts';
import type { MessagePlace } from './message-outcome.ts';

const MAX_ERROR_HEADER = 1_000;

export interface DeadLetter extends MessagePlace {
  message: KafkaMessage;
  reason: string;
  error: string;
}

/** Copies a message with its original bytes to `<topic>.dlq`, with why and where it came from in its headers. */
export function deadLetterQueue(producer: EventProducer, groupId: string): (letter: DeadLetter) => Promise<void> {
  return async ({ topic, partition, message, reason, error }) => {
    await producer.sendRaw(dlqTopic(topic), [{
      key: message.key,
      value: message.value,
      headers: {
        ...message.headers,
        error: error.slice(0, MAX_ERROR_HEADER),
        'error-kind': reason,
        'original-topic': topic,
        'original-partition': String(partition),
        'original-offset': message.offset,
        'original-timestamp': message.timestamp,
        'consumer-group': groupId,
      },
    }]);
  };
}
