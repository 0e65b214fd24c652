import type { Redis } from 'ioredis';
import type { DecisionSignal } from '../domain/ports.ts';
import { keys } from './keys.ts';

/**
 * Long polls wait in memory; whichever instance records a decision publishes the challenge id on one Redis channel,
 * and every instance wakes its own waiters. No polling loop: the answer leaves within a round trip of the decision.
 */
export async function redisDecisionSignal(redis: Redis): Promise<DecisionSignal & { close(): Promise<void> }> {
  const subscriber = redis.duplicate({ enableOfflineQueue: true });
  const waiters = new Map<string, Set<() => void>>();
  subscriber.on('message', (_channel: string, challengeId: string) => {
    const waiting = waiters.get(challengeId);
    if (!waiting) return;
    waiters.delete(challengeId);
    for (const wake of waiting) wake();
  });
  subscriber.on('error', () => {
    // Reconnects by itself; a missed message only means a long poll ends at its deadline and reads again.
  });
  await subscriber.subscribe(keys.decidedChannel);
  return {
    async notify(challengeId) {
      await redis.publish(keys.decidedChannel, challengeId);
    },
    wait(challengeId, timeoutMs) {
      return new Promise<void>((resolve) => {
        const set = waiters.get(challengeId) ?? new Set<() => void>();
        const wake = () => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          set.delete(wake);
          if (set.size === 0) waiters.delete(challengeId);
          resolve();
        }, timeoutMs);
        set.add(wake);
        waiters.set(challengeId, set);
      });
    },
    async close() {
      subscriber.disconnect();
    },
  };
}
