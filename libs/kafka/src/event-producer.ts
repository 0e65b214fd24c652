import { Partitioners, type Kafka, type Producer, type Message, type RecordMetadata } from 'kafkajs';
import {
  CLOUDEVENTS_CONTENT_TYPE,
  EVENT_REGISTRY,
  encodeEvent,
  validateEvent,
  type CloudEvent,
  type EventType,
  type VigilEvent,
} from '@vigil/events';
import { EventSchemaError, EventsNotPublishedError } from './errors.ts';
import { endSpan, startPublishSpan } from './trace-headers.ts';

/**
 * One record on its way to Kafka, already checked and encoded: what an outbox stores and a relay sends. `value`
 * null is a tombstone (compacted topics).
 */
export interface OutboundMessage {
  topic: string;
  key: string;
  value: string | null;
  headers: Record<string, string>;
}

export function toMessage(event: VigilEvent): Message {
  return {
    key: event.subject,
    value: encodeEvent(event),
    headers: { 'content-type': CLOUDEVENTS_CONTENT_TYPE },
  };
}

/**
 * Checks an event against its schema and encodes it for its topic, keyed tenantId:userId. Every event is checked
 * before it leaves, so a bug never reaches other services, and no field outside the schema (a token, a secret) slips
 * out. The caller's trace continues in whoever consumes the event (traceparent header).
 */
export function encodeOutbound(event: VigilEvent | CloudEvent): OutboundMessage {
  const checked = validateEvent(event);
  if (!checked.ok) throw new EventSchemaError(checked.error);
  const topic = EVENT_REGISTRY[checked.event.type].topic as string;
  const headers: Record<string, string> = { 'content-type': CLOUDEVENTS_CONTENT_TYPE };
  endSpan(startPublishSpan(topic, checked.event.type, headers));
  return { topic, key: checked.event.subject, value: encodeEvent(checked.event).toString('utf8'), headers };
}

/**
 * A topic-partition that a send wrote to. Read-your-writes waits until readers have consumed each of them up to its
 * end as of after the send (kafkajs tells the partitions of a request, not which record went where).
 */
export interface Landed {
  topic: string;
  partition: number;
}

interface Pending {
  message: OutboundMessage;
  done: { resolve(landed: Landed[]): void; reject(error: unknown): void };
}

/**
 * Publishes Vigil events: each to the topic its type belongs to, keyed tenantId:userId. Idempotent with acks=all so
 * that a retried send never duplicates or loses an event.
 */
export class EventProducer {
  readonly #kafka: Kafka;
  #producer: Producer;
  #queue: Pending[] = [];
  #sending = false;
  #needsReset = false;

  constructor(kafka: Kafka) {
    this.#kafka = kafka;
    this.#producer = this.#create();
  }

  #create(): Producer {
    return this.#kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  /**
   * After a failed send the next one goes through a new kafkajs producer: kafkajs' idempotent producer does not always
   * recover from a broker restart (seen in the fault tests: every later send of one service failed for minutes while a
   * new client sent at once). A new producer has a new producer id; a record sent twice across the switch keeps its
   * event id, which consumers drop.
   */
  async #ready(): Promise<void> {
    if (!this.#needsReset) return;
    const old = this.#producer;
    this.#producer = this.#create();
    await old.disconnect().catch(() => undefined);
    await this.#producer.connect();
    this.#needsReset = false;
  }

  connect(): Promise<void> {
    return this.#producer.connect();
  }

  disconnect(): Promise<void> {
    return this.#producer.disconnect();
  }

  /** Resolves once every event is acknowledged by all in-sync replicas. */
  async publish<T extends EventType>(...events: (VigilEvent | CloudEvent<T>)[]): Promise<Landed[]> {
    return this.send(events.map((event) => encodeOutbound(event)));
  }

  /**
   * Sends encoded records (an outbox's), in order. Calls made while a send is in flight are coalesced into the next
   * batch: one request in flight keeps idempotent ordering simple, and batching keeps the throughput of many
   * concurrent callers without adding latency when the producer is idle.
   */
  send(messages: readonly OutboundMessage[]): Promise<Landed[]> {
    if (messages.length === 0) return Promise.resolve([]);
    return new Promise<Landed[]>((resolve, reject) => {
      let left = messages.length;
      const landed: Landed[] = [];
      const done = {
        resolve: (part: Landed[]) => {
          landed.push(...part);
          if (--left === 0) resolve(landed);
        },
        reject,
      };
      for (const message of messages) this.#queue.push({ message, done });
      void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    if (this.#sending) return;
    this.#sending = true;
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue;
        this.#queue = [];
        const byTopic = new Map<string, Message[]>();
        for (const { message } of batch) {
          const record: Message = { key: message.key, value: message.value, headers: message.headers };
          const messages = byTopic.get(message.topic);
          if (messages) messages.push(record);
          else byTopic.set(message.topic, [record]);
        }
        try {
          await this.#ready();
          const metadata = await this.#producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
          const landed = landedOf(metadata);
          for (const pending of batch) pending.done.resolve(landed.filter((entry) => entry.topic === pending.message.topic));
        } catch (error) {
          this.#needsReset = true;
          const failure = new EventsNotPublishedError(error);
          for (const pending of batch) pending.done.reject(failure);
        }
      }
    } finally {
      this.#sending = false;
    }
  }

  /** A null value under a key: on a compacted topic it removes the key's last record (no factors left). */
  async publishTombstone(topic: string, key: string): Promise<Landed[]> {
    return this.send([{ topic, key, value: null, headers: {} }]);
  }

  /** Raw send, for the DLQ: the original bytes must travel untouched. */
  async sendRaw(topic: string, messages: Message[]): Promise<void> {
    await this.#producer.send({ topic, acks: -1, messages });
  }
}

function landedOf(metadata: RecordMetadata[]): Landed[] {
  return metadata.map((entry) => ({ topic: entry.topicName, partition: entry.partition }));
}
