import type { Redis } from 'ioredis';

/**
 * Remembers which event ids a consumer group has handled, so that a redelivered event (producer retry, rebalance
 * before commit) is not handled twice. Kept in the consuming service's own Redis keys.
 */
export interface ProcessedEvents {
  has(eventId: string): Promise<boolean>;
  add(eventId: string): Promise<void>;
}

export interface RedisProcessedEventsOptions {
  /** The consuming service and group, e.g. `challenge:challenge-decisions`. */
  namespace: string;
  /** How long an id is remembered: longer than any redelivery can come late. */
  ttlSeconds?: number;
}

/**
 * A redelivery comes within seconds (commits every 500 ms, a rebalance, a producer retry), or, for an outbox entry
 * published before its writer could delete it, once the relay runs again after an outage. A day covers any outage
 * the service would sit through; keeping ids for a week only grew Redis by every event seen (one key per event and
 * group).
 */
const DEFAULT_TTL_SECONDS = 24 * 3600;

export function redisProcessedEvents(redis: Redis, options: RedisProcessedEventsOptions): ProcessedEvents {
  const ttl = options.ttlSeconds ?? DEFAULT_TTL_SECONDS;
  const key = (eventId: string) => `${options.namespace}:processed:${eventId}`;
  return {
    has: async (eventId) => (await redis.exists(key(eventId))) === 1,
    add: async (eventId) => void (await redis.set(key(eventId), '1', 'EX', ttl)),
  };
}
