import { Partitioners, type Kafka, type Producer, type Message } from 'kafkajs';
import {
  CLOUDEVENTS_CONTENT_TYPE,
  EVENT_REGISTRY,
  encodeEvent,
  validateEvent,
  type CloudEvent,
  type EventType,
  type VigilEvent,
} from '@vigil/events';
import { EventSchemaError } from './errors.ts';

export function toMessage(event: VigilEvent): Message {
  return {
    key: event.subject,
    value: encodeEvent(event),
    headers: { 'content-type': CLOUDEVENTS_CONTENT_TYPE },
  };
}

/**
 * Publishes Vigil events: each to the topic its type belongs to, keyed tenantId:userId. Idempotent with acks=all so
 * that a retried send never duplicates or loses an event. Every event is checked against its schema before it
 * leaves, so a bug never reaches other services, and no field outside the schema (a token, a secret) slips out.
 */
export class EventProducer {
  readonly #producer: Producer;

  constructor(kafka: Kafka) {
    this.#producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  connect(): Promise<void> {
    return this.#producer.connect();
  }

  disconnect(): Promise<void> {
    return this.#producer.disconnect();
  }

  async publish<T extends EventType>(...events: (VigilEvent | CloudEvent<T>)[]): Promise<void> {
    if (events.length === 0) return;
    const byTopic = new Map<string, Message[]>();
    for (const event of events) {
      const checked = validateEvent(event);
      if (!checked.ok) throw new EventSchemaError(checked.error);
      const topic = EVENT_REGISTRY[checked.event.type].topic;
      const messages = byTopic.get(topic) ?? [];
      messages.push(toMessage(checked.event));
      byTopic.set(topic, messages);
    }
    await this.#producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
  }

  /** A null value under a key: on a compacted topic it removes the key's last record (no factors left). */
  async publishTombstone(topic: string, key: string): Promise<void> {
    await this.#producer.send({ topic, acks: -1, messages: [{ key, value: null }] });
  }

  /** Raw send, for the DLQ: the original bytes must travel untouched. */
  async sendRaw(topic: string, messages: Message[]): Promise<void> {
    await this.#producer.send({ topic, acks: -1, messages });
  }
}
