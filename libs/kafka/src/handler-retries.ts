import type { VigilEvent } from '@vigil/events';
import type { EventHandler, MessageContext } from './consumer-options.ts';
import type { BatchControl, Outcome } from './message-outcome.ts';
import { isTransientFailure } from './transient-errors.ts';

export interface RetrySettings {
  handle: EventHandler;
  maxAttempts: number;
  retryBaseMs: number;
  onRetrying?: ((retrying: boolean) => void) | undefined;
  /** True once the consumer is stopping: a failing message is then left for the partition's next owner. */
  stopping(): boolean;
}

export type RetryingHandler = (event: VigilEvent, context: MessageContext, batch: BatchControl) => Promise<Outcome>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const retryDelayMs = (baseMs: number, attempt: number) => Math.min(baseMs * 2 ** Math.min(attempt - 1, 16), 5_000) * (0.5 + Math.random() / 2);

/**
 * Runs the handler until it succeeds: transient failures are retried for as long as they last, others up to
 * maxAttempts, and a permanent one (`retryable: false`) not at all. `onRetrying` hears when the first message starts
 * waiting out a transient failure and when the last one stops.
 */
export function retryingHandler(settings: RetrySettings): RetryingHandler {
  let retrying = 0;
  return async (event, context, batch) => {
    let failures = 0;
    let counted = false;
    try {
      for (let attempt = 1; ; attempt += 1) {
        try {
          await settings.handle(event, context);
          return { kind: 'handled' };
        } catch (error) {
          const failure = error as Error & { retryable?: boolean };
          const transient = failure.retryable !== false && isTransientFailure(failure);
          if (!transient) failures += 1;
          const final = failure.retryable === false || failures >= settings.maxAttempts;
          context.log.warn({ err: failure, attempt, transient, final }, 'event handler failed');
          // Stopping: leave the message uncommitted for the partition's next owner rather than park it.
          if (settings.stopping() || !batch.isRunning()) throw failure;
          if (final) return { kind: 'dead', reason: 'failed', error: `${failure.name}: ${failure.message}` };
          if (transient && !counted) {
            counted = true;
            if (retrying++ === 0) settings.onRetrying?.(true);
          }
          // Waiting out an outage keeps the membership: without heartbeats the group would evict this member. If the
          // group is rebalancing (or has evicted it), the heartbeat throws: the batch is abandoned uncommitted, kafkajs
          // rejoins, and the partition's next owner handles the message.
          await batch.heartbeat();
          await sleep(retryDelayMs(settings.retryBaseMs, attempt));
        }
      }
    } finally {
      if (counted && --retrying === 0) settings.onRetrying?.(false);
    }
  };
}
