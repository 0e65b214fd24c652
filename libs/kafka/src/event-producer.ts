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
import { endSpan, startPublishSpan } from './trace-headers.ts';

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
interface Pending {
  topic: string;
  message: Message;
  done: { resolve(): void; reject(error: unknown): void };
}

export class EventProducer {
  readonly #producer: Producer;
  #queue: Pending[] = [];
  #sending = false;

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

  /**
   * Resolves once every event is acknowledged by all in-sync replicas. Calls made while a send is in flight are
   * coalesced into the next batch: one request in flight keeps idempotent ordering simple, and batching keeps the
   * throughput of many concurrent callers without adding latency when the producer is idle.
   */
  async publish<T extends EventType>(...events: (VigilEvent | CloudEvent<T>)[]): Promise<void> {
    if (events.length === 0) return;
    const entries = events.map((event) => {
      const checked = validateEvent(event);
      if (!checked.ok) throw new EventSchemaError(checked.error);
      const topic = EVENT_REGISTRY[checked.event.type].topic as string;
      const message = toMessage(checked.event);
      // The caller's trace continues in whoever consumes the event (traceparent header).
      const span = startPublishSpan(topic, checked.event.type, message.headers as Record<string, string>);
      return { topic, message, span };
    });
    try {
      await new Promise<void>((resolve, reject) => {
        let left = entries.length;
        const done = { resolve: () => void (--left === 0 && resolve()), reject };
        for (const { topic, message } of entries) this.#queue.push({ topic, message, done });
        void this.#drain();
      });
      for (const { span } of entries) endSpan(span);
    } catch (error) {
      for (const { span } of entries) endSpan(span, error);
      throw error;
    }
  }

  async #drain(): Promise<void> {
    if (this.#sending) return;
    this.#sending = true;
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue;
        this.#queue = [];
        const byTopic = new Map<string, Message[]>();
        for (const pending of batch) {
          const messages = byTopic.get(pending.topic);
          if (messages) messages.push(pending.message);
          else byTopic.set(pending.topic, [pending.message]);
        }
        try {
          await this.#producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
          for (const pending of batch) pending.done.resolve();
        } catch (error) {
          for (const pending of batch) pending.done.reject(error);
        }
      }
    } finally {
      this.#sending = false;
    }
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
