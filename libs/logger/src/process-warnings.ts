import type { Logger } from 'pino';

/**
 * kafkajs 2.2.4 schedules its request-queue check with `throttledUntil - Date.now()` while `throttledUntil` is -1,
 * which Node 24 reports when a connection starts (kafkajs issue #1751, unfixed upstream). Node clamps the delay to 1 ms,
 * which is what kafkajs means, so the warning says nothing an operator can act on.
 */
function isKnownHarmlessWarning(warning: Error): boolean {
  return warning.name === 'TimeoutNegativeWarning' && /kafkajs[\\/]src[\\/]network[\\/]requestQueue[\\/]/.test(warning.stack ?? '');
}

/**
 * Sends process warnings to the service's structured log instead of Node's plain-text stderr printer, so log
 * pipelines see one JSON line per warning, and drops the known-harmless kafkajs one. Returns a function that puts
 * the previous listeners back (tests run inside a shared worker process).
 */
export function logProcessWarnings(log: Logger): () => void {
  const previous = process.listeners('warning');
  const onWarning = (warning: Error) => {
    if (isKnownHarmlessWarning(warning)) return;
    const code = (warning as Error & { code?: unknown }).code;
    log.warn({ warning: { name: warning.name, message: warning.message, ...(typeof code === 'string' ? { code } : {}) } }, 'process warning');
  };
  process.removeAllListeners('warning');
  process.on('warning', onWarning);
  return () => {
    process.off('warning', onWarning);
    for (const listener of previous) process.on('warning', listener);
  };
}
