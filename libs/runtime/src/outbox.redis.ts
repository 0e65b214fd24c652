import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { Counter, Gauge, type Registry } from 'prom-client';
import { createEvent, type EventDraft, type EventSink } from '@vigil/events';
import { EventsPendingError, encodeOutbound, isTransientFailure, type EventProducer, type Landed, type OutboundMessage } from '@vigil/kafka';
import type { Logger } from '@vigil/logger';
import { eventMeter, type EventMeter } from './metered-event-sink.ts';

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

export function redisOutbox(options: OutboxOptions): Outbox {
  const { redis, producer } = options;
  const stream = `${options.service}:outbox`;
  const observe: EventMeter = eventMeter(options.metrics);
  const counted = (batch: OutboxBatch) => {
    for (const { type, data } of batch.drafts) observe(type, data as never);
  };
  const outbox: Outbox = {
    stream,
    prepare(...drafts) {
      return { drafts, messages: drafts.map(({ type, data }) => encodeOutbound(createEvent(type, data as never, { source: options.source }))) };
    },
    args(batch) {
      const args = [String(batch.messages.length)];
      for (const message of batch.messages) args.push(message.topic, message.key, message.value ?? '', JSON.stringify(message.headers));
      return args;
    },
    async deliver(batch, ids) {
      if (ids.length === 0) return [];
      const landed = await producer.send(batch.messages).catch((error: unknown) => {
        throw new EventsPendingError(error);
      });
      counted(batch);
      // If this fails, the relay publishes the entries again: consumers drop the repeat by event id.
      await redis.xdel(stream, ...ids).catch(() => undefined);
      return landed;
    },
    async deliverEntries(entries) {
      if (entries.length === 0) return [];
      const messages = entries.map(([, topic, key, value, headers]) => ({ topic: topic ?? '', key: key ?? '', value: value ?? null, headers: JSON.parse(headers ?? '{}') as Record<string, string> }));
      const landed = await producer.send(messages).catch((error: unknown) => {
        throw new EventsPendingError(error);
      });
      for (const message of messages) meterRaw(observe, message);
      await redis.xdel(stream, ...entries.map(([id]) => id as string)).catch(() => undefined);
      return landed;
    },
    async emit(...drafts) {
      const batch = outbox.prepare(...drafts);
      const pipeline = redis.multi();
      for (const message of batch.messages) pipeline.xadd(stream, '*', 't', message.topic, 'k', message.key, 'v', message.value ?? '', 'h', JSON.stringify(message.headers));
      const results = (await pipeline.exec()) ?? [];
      const ids = results.map(([error, id]) => {
        if (error) throw error;
        return id as string;
      });
      return outbox.deliver(batch, ids);
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

export interface RelayOptions {
  redis: Redis;
  producer: EventProducer;
  service: string;
  log: Logger;
  metrics: Registry;
  /** How often the relay looks (default 250 ms). */
  intervalMs?: number;
  /** Entries younger than this are left to the request that wrote them (default 1 s). */
  minAgeMs?: number;
}

// Takes the relay lease, or extends it if this instance holds it: one instance relays at a time, in stream order.
const LEASE = `
local holder = redis.call('GET', KEYS[1])
if holder == false then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
return 0
`;

/**
 * Publishes what writers left in the outbox (their process died, or Kafka refused them), oldest first, so that every
 * announced change reaches Kafka at least once and a user's events keep their order. Runs on every instance; a lease
 * in Redis lets one of them work at a time.
 */
export function startOutboxRelay(options: RelayOptions): { stop(): Promise<void> } {
  const { redis, producer } = options;
  const stream = `${options.service}:outbox`;
  const leaseKey = `${stream}:relay`;
  const token = randomUUID();
  const minAgeMs = options.minAgeMs ?? 1_000;
  const intervalMs = options.intervalMs ?? 250;
  const { relayed, pending, dead } = relayMetrics(options.metrics);
  const log = options.log.child({ component: 'outbox-relay' });
  const observe = eventMeter(options.metrics);
  let running = false;
  let failing = false;

  const sweep = async () => {
    const mine = (await redis.eval(LEASE, 1, leaseKey, token, String(Math.max(3_000, intervalMs * 8)))) === 1;
    pending.set(await redis.xlen(stream));
    if (!mine) return;
    const [seconds, micros] = await redis.time();
    const before = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000) - minAgeMs;
    for (;;) {
      const entries = await redis.xrange(stream, '-', String(before), 'COUNT', 500);
      if (entries.length === 0) return;
      const messages = entries.map(([, fields]) => fromFields(fields));
      await producer.send(messages).catch(async (error: unknown) => {
        if (isTransientFailure(error)) throw error;
        // Kafka refuses one of them for good (too large, unknown topic): the others must not wait behind it forever.
        await sendOneByOne(entries, messages, error);
      });
      await redis.xdel(stream, ...entries.map(([id]) => id));
      relayed.inc(entries.length);
      for (const message of messages) meterRaw(observe, message);
      if (failing) log.info('outbox relay publishes again');
      failing = false;
      if (entries.length < 500) return;
    }
  };
  // Entries Kafka refuses for good go to `<stream>:dead` with the error, for an operator; they are not retried.
  const sendOneByOne = async (entries: [string, string[]][], messages: OutboundMessage[], first: unknown) => {
    for (const [index, [id, fields]] of entries.entries()) {
      try {
        await producer.send([messages[index] as OutboundMessage]);
      } catch (error) {
        if (isTransientFailure(error)) throw error;
        log.error({ err: error, entry: id, first: String(first) }, 'outbox entry refused by Kafka for good: moved to the dead stream');
        await redis.xadd(`${stream}:dead`, '*', ...fields, 'error', String(error).slice(0, 1_000));
        dead.inc();
      }
    }
  };
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweep()
      .catch((error: unknown) => {
        if (!failing) log.warn({ err: error }, 'outbox relay failed; retrying');
        failing = true;
      })
      .finally(() => { running = false; });
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await redis.eval("if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0", 1, leaseKey, token).catch(() => undefined);
    },
  };
}

/** Metrics for a stored message: its type and data, read back from the encoded event. */
function meterRaw(observe: EventMeter, message: OutboundMessage): void {
  if (message.value === null) return;
  try {
    const event = JSON.parse(message.value) as { type: never; data: never };
    observe(event.type, event.data);
  } catch {
    // Not ours to judge here: the relay publishes bytes as they were stored.
  }
}

const relayCounters = new WeakMap<Registry, { relayed: Counter; pending: Gauge; dead: Counter }>();

/** One set per registry: a test or a process may start more than one relay. */
function relayMetrics(registry: Registry): { relayed: Counter; pending: Gauge; dead: Counter } {
  let metrics = relayCounters.get(registry);
  if (!metrics) {
    const registers = [registry];
    metrics = {
      relayed: new Counter({ name: 'vigil_outbox_relayed_total', help: 'Events published by the outbox relay (their writer could not)', registers }),
      pending: new Gauge({ name: 'vigil_outbox_pending', help: 'Events in the outbox not yet acknowledged by Kafka', registers }),
      dead: new Counter({ name: 'vigil_outbox_dead_total', help: 'Outbox entries Kafka refused for good (moved to <service>:outbox:dead)', registers }),
    };
    relayCounters.set(registry, metrics);
  }
  return metrics;
}

function fromFields(fields: string[]): OutboundMessage {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i] as string, fields[i + 1] as string);
  return {
    topic: map.get('t') ?? '',
    key: map.get('k') ?? '',
    value: map.get('v') ?? null,
    headers: JSON.parse(map.get('h') ?? '{}') as Record<string, string>,
  };
}
