import type { Redis } from 'ioredis';

/**
 * Wakes waiters on every instance: `notify(id)` publishes on one Redis channel, each instance resolves its own
 * in-memory waiters for that id. Long polls thus answer within a round trip of the change, with no polling loop.
 * A missed message (Redis reconnecting) only means a waiter ends at its deadline and reads again.
 */
export interface Wakeups {
  notify(id: string): Promise<void>;
  /**
   * Resolves when `id` is notified, after `timeoutMs`, or when `signal` aborts (the client went away: its timer and
   * its place among the waiters are released at once), whichever comes first.
   */
  wait(id: string, timeoutMs: number, signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

/** Per id, the wake-up of each waiter on this instance. */
type Waiters = Map<string, Set<() => void>>;

function wakeAll(waiters: Waiters, id: string): void {
  const waiting = waiters.get(id);
  if (!waiting) return;
  waiters.delete(id);
  for (const wake of waiting) wake();
}

function waitForWake(waiters: Waiters, id: string, timeoutMs: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const set = waiters.get(id) ?? new Set<() => void>();
    const leave = () => {
      set.delete(wake);
      if (set.size === 0 && waiters.get(id) === set) waiters.delete(id);
      finish();
    };
    const finish = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', leave);
      resolve();
    };
    const wake = () => finish();
    const timer = setTimeout(leave, timeoutMs);
    signal?.addEventListener('abort', leave, { once: true });
    set.add(wake);
    waiters.set(id, set);
  });
}

export async function redisWakeups(redis: Redis, channel: string): Promise<Wakeups> {
  const subscriber = redis.duplicate({ enableOfflineQueue: true, enableAutoPipelining: false });
  const waiters: Waiters = new Map();
  subscriber.on('message', (_channel: string, id: string) => wakeAll(waiters, id));
  subscriber.on('error', () => {
    // ioredis reconnects by itself; see above for what a gap costs.
  });
  await subscriber.subscribe(channel);
  return {
    async notify(id) {
      await redis.publish(channel, id);
    },
    wait: (id, timeoutMs, signal) => waitForWake(waiters, id, timeoutMs, signal),
    async close() {
      subscriber.disconnect();
    },
  };
}
