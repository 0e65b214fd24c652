import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import { createEvent, type EventDraft, type EventSink } from '@vigil/events';
import { EventsPendingError, encodeOutbound, type EventProducer, type Landed, type OutboundMessage } from '@vigil/kafka';
import { eventMeter, type EventMeter } from './metered-event-sink.ts';
import { meterRaw } from './outbox-entry.ts';

export { startOutboxRelay, type RelayOptions } from './outbox-relay.redis.ts';

/**
 * Lua for scripts that change state and announce it in the same step (CONTRACT §8 durability): prepend it to a
 * script, pass the outbox stream as a key and `Outbox.args(batch)` as the last ARGV, and call
 * `outbox_append(stream, firstArg)` only where the change is made. The script returns the entry ids it added; a repeat
 * of the change can find those still unpublished with `outbox_waiting(stream, idsCsv)`.
 */
export const OUTBOX_LUA = `
local function outbox_append(stream, from)
  local ids = {}
  local n = tonumber(ARGV[from])
  for i = 0, n - 1 do
    local at = from + 1 + i * 4
    ids[#ids + 1] = redis.call('XADD', stream, '*', 't', ARGV[at], 'k', ARGV[at + 1], 'v', ARGV[at + 2], 'h', ARGV[at + 3])
  end
  return ids
end

-- The entries among ids (a comma list) still in the outbox, each as {id, topic, key, value, headers}: what a repeat
-- of a change must publish before it answers as the first time.
local function outbox_waiting(stream, ids)
  local waiting = {}
  for id in string.gmatch(ids or '', '[^,]+') do
    local found = redis.call('XRANGE', stream, id, id)
    if found[1] then
      local map = {}
      for i = 1, #found[1][2], 2 do map[found[1][2][i]] = found[1][2][i + 1] end
      waiting[#waiting + 1] = {id, map['t'], map['k'], map['v'], map['h']}
    end
  end
  return waiting
end
`;

/** Events ready for a script: their messages, and the drafts they came from (for metrics once published). */
export interface OutboxBatch {
  readonly drafts: readonly EventDraft[];
  readonly messages: readonly OutboundMessage[];
}

export interface Outbox {
  /** The stream key: a script that appends must name it in KEYS. */
  readonly stream: string;
  /** Checks and encodes events of this service (CloudEvents from its source). */
  prepare(...drafts: EventDraft[]): OutboxBatch;
  /** The ARGV tail that `outbox_append` reads: a count, then topic, key, value, headers per event. */
  args(batch: OutboxBatch): string[];
  /**
   * Publishes what a script appended and drops it from the stream. Throws when Kafka fails; the entries stay and the
   * relay publishes them later, so the change is announced whatever happens to this process.
   */
  deliver(batch: OutboxBatch, ids: readonly string[]): Promise<Landed[]>;
  /** The same for entries a script wrote from stored messages: `[id, topic, key, value, headers]` each. */
  deliverEntries(entries: readonly string[][]): Promise<Landed[]>;
  /** For events that change no state of this service: append, then deliver. */
  emit(...drafts: EventDraft[]): Promise<Landed[]>;
  /**
   * An EventSink for use cases that only announce (a refusal, a rejection): it resolves once the event is in the
   * outbox. Kafka's answer does not change theirs; the relay publishes what the fast path could not.
   */
  readonly sink: EventSink;
}

export interface OutboxOptions {
  redis: Redis;
  producer: EventProducer;
  /** The service name: its stream is `<service>:outbox` (its own key space). */
  service: string;
  /** CloudEvents `source`, e.g. `urn:vigil:challenge`. */
  source: string;
  metrics: Registry;
}

/** The ARGV tail `outbox_append` reads: a count, then topic, key, value, headers per event. */
function outboxArgs(batch: OutboxBatch): string[] {
  const args = [String(batch.messages.length)];
  for (const message of batch.messages) args.push(message.topic, message.key, message.value ?? '', JSON.stringify(message.headers));
  return args;
}

/** Sends to Kafka; a failure means the change is made and its events wait in the outbox (the relay's job now). */
function publish(producer: EventProducer, messages: readonly OutboundMessage[]): Promise<Landed[]> {
  return producer.send(messages).catch((error: unknown) => {
    throw new EventsPendingError(error);
  });
}

/** Appends a batch in one MULTI, for events that no script appends; returns their entry ids, in order. */
async function append(redis: Redis, stream: string, batch: OutboxBatch): Promise<string[]> {
  const pipeline = redis.multi();
  for (const message of batch.messages) pipeline.xadd(stream, '*', 't', message.topic, 'k', message.key, 'v', message.value ?? '', 'h', JSON.stringify(message.headers));
  const results = (await pipeline.exec()) ?? [];
  return results.map(([error, id]) => {
    if (error) throw error;
    return id as string;
  });
}

export function redisOutbox(options: OutboxOptions): Outbox {
  const { redis, producer } = options;
  const stream = `${options.service}:outbox`;
  const observe: EventMeter = eventMeter(options.metrics);
  const outbox: Outbox = {
    stream,
    prepare(...drafts) {
      return { drafts, messages: drafts.map(({ type, data }) => encodeOutbound(createEvent(type, data as never, { source: options.source }))) };
    },
    args: outboxArgs,
    async deliver(batch, ids) {
      if (ids.length === 0) return [];
      const landed = await publish(producer, batch.messages);
      for (const { type, data } of batch.drafts) observe(type, data as never);
      // If this fails, the relay publishes the entries again: consumers drop the repeat by event id.
      await redis.xdel(stream, ...ids).catch(() => undefined);
      return landed;
    },
    async deliverEntries(entries) {
      if (entries.length === 0) return [];
      const messages = entries.map(([, topic, key, value, headers]) => ({ topic: topic ?? '', key: key ?? '', value: value ?? null, headers: JSON.parse(headers ?? '{}') as Record<string, string> }));
      const landed = await publish(producer, messages);
      for (const message of messages) meterRaw(observe, message);
      await redis.xdel(stream, ...entries.map(([id]) => id as string)).catch(() => undefined);
      return landed;
    },
    async emit(...drafts) {
      const batch = outbox.prepare(...drafts);
      return outbox.deliver(batch, await append(redis, stream, batch));
    },
    sink: {
      emit: async (type, data) => {
        await outbox.emit({ type, data } as EventDraft).catch((error: unknown) => {
          if (!(error instanceof EventsPendingError)) throw error;
        });
      },
    },
  };
  return outbox;
}
