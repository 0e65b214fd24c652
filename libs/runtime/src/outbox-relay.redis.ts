import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { Counter, Gauge, type Registry } from 'prom-client';
import { isTransientFailure, type EventProducer, type OutboundMessage } from '@vigil/kafka';
import type { Logger } from '@vigil/logger';
import { eventMeter, type EventMeter } from './metered-event-sink.ts';
import { fromFields, meterRaw } from './outbox-entry.ts';

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

// Gives the lease up on stop, only if this instance still holds it: another instance relays without waiting it out.
const RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

/** Entries read and sent at a time. */
const BATCH = 500;

interface RelayMetrics {
  relayed: Counter;
  pending: Gauge;
  dead: Counter;
}

/** One relay's settings and clients; `failing` is set while sweeps fail, so a failure and a recovery are logged once. */
interface Relay {
  readonly redis: Redis;
  readonly producer: EventProducer;
  readonly stream: string;
  readonly leaseKey: string;
  readonly token: string;
  readonly leaseMs: string;
  readonly minAgeMs: number;
  readonly metrics: RelayMetrics;
  readonly log: Logger;
  readonly observe: EventMeter;
  failing: boolean;
}

function relayOf(options: RelayOptions): Relay {
  const stream = `${options.service}:outbox`;
  const intervalMs = options.intervalMs ?? 250;
  return {
    redis: options.redis,
    producer: options.producer,
    stream,
    leaseKey: `${stream}:relay`,
    token: randomUUID(),
    leaseMs: String(Math.max(3_000, intervalMs * 8)),
    minAgeMs: options.minAgeMs ?? 1_000,
    metrics: relayMetrics(options.metrics),
    log: options.log.child({ component: 'outbox-relay' }),
    observe: eventMeter(options.metrics),
    failing: false,
  };
}

/**
 * Publishes what writers left in the outbox (their process died, or Kafka refused them), oldest first, so that every
 * announced change reaches Kafka at least once and a user's events keep their order. Runs on every instance; a lease
 * in Redis lets one of them work at a time.
 */
export function startOutboxRelay(options: RelayOptions): { stop(): Promise<void> } {
  const relay = relayOf(options);
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweep(relay)
      .catch((error: unknown) => {
        if (!relay.failing) relay.log.warn({ err: error }, 'outbox relay failed; retrying');
        relay.failing = true;
      })
      .finally(() => { running = false; });
  }, options.intervalMs ?? 250);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await relay.redis.eval(RELEASE, 1, relay.leaseKey, relay.token).catch(() => undefined);
    },
  };
}

/** One pass, if this instance holds the lease: every entry older than `minAgeMs` by Redis' clock, in batches. */
async function sweep(relay: Relay): Promise<void> {
  const { redis } = relay;
  const mine = (await redis.eval(LEASE, 1, relay.leaseKey, relay.token, relay.leaseMs)) === 1;
  relay.metrics.pending.set(await redis.xlen(relay.stream));
  if (!mine) return;
  const [seconds, micros] = await redis.time();
  const before = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000) - relay.minAgeMs;
  for (;;) {
    const relayed = await relayBatch(relay, before);
    if (relayed < BATCH) return;
  }
}

/** Publishes the oldest entries written up to `before`, then deletes them; returns how many there were. */
async function relayBatch(relay: Relay, before: number): Promise<number> {
  const { redis, producer, stream } = relay;
  const entries = await redis.xrange(stream, '-', String(before), 'COUNT', BATCH);
  if (entries.length === 0) return 0;
  const messages = entries.map(([, fields]) => fromFields(fields));
  await producer.send(messages).catch(async (error: unknown) => {
    if (isTransientFailure(error)) throw error;
    // Kafka refuses one of them for good (too large, unknown topic): the others must not wait behind it forever.
    await sendOneByOne(relay, entries, messages, error);
  });
  await redis.xdel(stream, ...entries.map(([id]) => id));
  relay.metrics.relayed.inc(entries.length);
  for (const message of messages) meterRaw(relay.observe, message);
  if (relay.failing) relay.log.info('outbox relay publishes again');
  relay.failing = false;
  return entries.length;
}

// Entries Kafka refuses for good go to `<stream>:dead` with the error, for an operator; they are not retried.
async function sendOneByOne(relay: Relay, entries: [string, string[]][], messages: OutboundMessage[], first: unknown): Promise<void> {
  for (const [index, [id, fields]] of entries.entries()) {
    try {
      await relay.producer.send([messages[index] as OutboundMessage]);
    } catch (error) {
      if (isTransientFailure(error)) throw error;
      relay.log.error({ err: error, entry: id, first: String(first) }, 'outbox entry refused by Kafka for good: moved to the dead stream');
      await relay.redis.xadd(`${relay.stream}:dead`, '*', ...fields, 'error', String(error).slice(0, 1_000));
      relay.metrics.dead.inc();
    }
  }
}

const relayCounters = new WeakMap<Registry, RelayMetrics>();

/** One set per registry: a test or a process may start more than one relay. */
function relayMetrics(registry: Registry): RelayMetrics {
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
