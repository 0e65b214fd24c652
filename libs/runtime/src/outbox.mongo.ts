import type { Model } from 'mongoose';
import { Counter, type Registry } from 'prom-client';
import { createEvent, type EventDraft } from '@vigil/events';
import { EventsPendingError, encodeOutbound, type EventProducer, type OutboundMessage } from '@vigil/kafka';
import type { Logger } from '@vigil/logger';
import { eventMeter } from './metered-event-sink.ts';

/** An event waiting in a document's `outbox` array until Kafka has it; `at` is when it was written. */
export interface StoredEvent extends OutboundMessage {
  eventId: string;
  at: Date;
}

/** The field a document with an outbox carries (add it to its schema: `outboxFields`, and index `outbox.at`). */
export interface WithOutbox {
  outbox?: StoredEvent[];
}

/** Schema fields for WithOutbox (mongoose definition). */
export const outboxFields = {
  outbox: { type: [{ _id: false, eventId: String, topic: String, key: String, value: String, headers: Object, at: Date }], default: [] },
};

/**
 * The MongoDB side of the outbox (CONTRACT §8): a document's change and the events that announce it are one
 * single-document update (`$push` onto its `outbox`), which MongoDB applies atomically without transactions — the
 * local wire server has none, and the code needs none. Delivered entries are pulled; a relay publishes what a writer
 * left behind.
 */
export interface MongoOutbox {
  prepare(...drafts: EventDraft[]): StoredEvent[];
  /** The update operator that adds `entries` to a document's outbox, to merge into the change's own update. */
  push(entries: readonly StoredEvent[]): { $push: { outbox: { $each: StoredEvent[] } } };
  /** Publishes the entries and pulls them from the document; throws EventsPendingError if Kafka fails (the relay retries). */
  deliver(model: Model<WithOutbox & { _id: string }>, docId: string, entries: readonly StoredEvent[]): Promise<void>;
}

export function mongoOutbox(options: { producer: EventProducer; source: string; metrics: Registry }): MongoOutbox {
  const observe = eventMeter(options.metrics);
  return {
    prepare(...drafts) {
      const at = new Date();
      return drafts.map(({ type, data }) => {
        const event = createEvent(type, data as never, { source: options.source });
        return { eventId: event.id, at, ...encodeOutbound(event) };
      });
    },
    push(entries) {
      return { $push: { outbox: { $each: [...entries] } } };
    },
    async deliver(model, docId, entries) {
      if (entries.length === 0) return;
      await options.producer.send(entries.map(toMessage)).catch((error: unknown) => {
        throw new EventsPendingError(error);
      });
      for (const entry of entries) meter(observe, entry);
      await pull(model, docId, entries).catch(() => undefined);
    },
  };
}

function toMessage(entry: StoredEvent): OutboundMessage {
  return { topic: entry.topic, key: entry.key, value: entry.value, headers: entry.headers };
}

async function pull(model: Model<WithOutbox & { _id: string }>, docId: string, entries: readonly StoredEvent[]): Promise<void> {
  await model.updateOne({ _id: docId }, { $pull: { outbox: { eventId: { $in: entries.map((entry) => entry.eventId) } } } });
}

function meter(observe: ReturnType<typeof eventMeter>, entry: StoredEvent): void {
  if (entry.value === null) return;
  const event = JSON.parse(entry.value) as { type: never; data: never };
  observe(event.type, event.data);
}

/**
 * Publishes what writers left in documents' outboxes (their process died, or Kafka refused them). Entries of one
 * document keep their order. Every instance may run it: a repeat is dropped by consumers by event id.
 */
export function startMongoOutboxRelay(options: { model: Model<WithOutbox & { _id: string }>; producer: EventProducer; log: Logger; metrics: Registry; intervalMs?: number; minAgeMs?: number }): { stop(): void } {
  const relayed = documentRelayCounter(options.metrics);
  const minAgeMs = options.minAgeMs ?? 1_000;
  let running = false;
  let failing = false;
  const sweep = async () => {
    // Documents with an entry older than minAgeMs: its writer did not deliver it. Entries keep their order.
    const docs = await options.model.find({ 'outbox.at': { $lt: new Date(Date.now() - minAgeMs) } }).limit(100).lean();
    for (const doc of docs) {
      const entries = doc.outbox ?? [];
      if (entries.length === 0) continue;
      await options.producer.send(entries.map(toMessage));
      await pull(options.model, doc._id, entries);
      relayed.inc(entries.length);
    }
    failing = false;
  };
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweep()
      .catch((error: unknown) => {
        if (!failing) options.log.warn({ err: error }, 'document outbox relay failed; retrying');
        failing = true;
      })
      .finally(() => { running = false; });
  }, options.intervalMs ?? 500);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

const documentCounters = new WeakMap<Registry, Counter>();

function documentRelayCounter(registry: Registry): Counter {
  let counter = documentCounters.get(registry);
  if (!counter) {
    counter = new Counter({ name: 'vigil_outbox_documents_relayed_total', help: 'Events published from document outboxes by the relay (their writer could not)', registers: [registry] });
    documentCounters.set(registry, counter);
  }
  return counter;
}
