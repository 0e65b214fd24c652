import type { Redis } from 'ioredis';

/**
 * Wakes waiters on every instance: `notify(id)` publishes on one Redis channel, each instance resolves its own
 * in-memory waiters for that id. Long polls thus answer within a round trip of the change, with no polling loop.
 * A missed message (Redis reconnecting) only means a waiter ends at its deadline and reads again.
 */
export interface Wakeups {
  notify(id: string): Promise<void>;
  /** Resolves when `id` is notified or after `timeoutMs`, whichever comes first. */
  wait(id: string, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

export async function redisWakeups(redis: Redis, channel: string): Promise<Wakeups> {
  const subscriber = redis.duplicate({ enableOfflineQueue: true, enableAutoPipelining: false });
  const waiters = new Map<string, Set<() => void>>();
  subscriber.on('message', (_channel: string, id: string) => {
    const waiting = waiters.get(id);
    if (!waiting) return;
    waiters.delete(id);
    for (const wake of waiting) wake();
  });
  subscriber.on('error', () => {
    // ioredis reconnects by itself; see above for what a gap costs.
  });
  await subscriber.subscribe(channel);
  return {
    async notify(id) {
      await redis.publish(channel, id);
    },
    wait(id, timeoutMs) {
      return new Promise<void>((resolve) => {
        const set = waiters.get(id) ?? new Set<() => void>();
        const wake = () => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          set.delete(wake);
          if (set.size === 0) waiters.delete(id);
          resolve();
        }, timeoutMs);
        set.add(wake);
        waiters.set(id, set);
      });
    },
    async close() {
      subscriber.disconnect();
    },
  };
}
