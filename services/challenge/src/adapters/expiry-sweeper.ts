import type { Logger } from '@vigil/logger';

export interface ExpirySweeperOptions {
  /** One sweep: expires what is due and says how many. */
  sweep: () => Promise<number>;
  intervalMs: number;
  log: Logger;
}

export interface ExpirySweeper {
  /** Stops the timer; a sweep in progress finishes on its own. */
  stop(): void;
}

/**
 * Sweeps on a timer. A sweep still running when the timer fires again (Redis slow) is not joined by a second one:
 * they would only pile up on the same index. A failed sweep is logged and the next tick tries again.
 */
export function startExpirySweeper({ sweep, intervalMs, log }: ExpirySweeperOptions): ExpirySweeper {
  let sweeping = false;
  const timer = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    sweep()
      .catch((error: unknown) => log.warn({ err: error }, 'expiry sweep failed'))
      .finally(() => { sweeping = false; });
  }, intervalMs);
  return { stop: () => clearInterval(timer) };
}
