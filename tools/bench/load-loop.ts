/** Runs `op` with `concurrency` callers for `durationMs` and returns completed operations per second. */
export async function opsPerSecond(op: (i: number) => Promise<unknown>, options: { concurrency: number; durationMs: number }): Promise<number> {
  let done = 0;
  const deadline = performance.now() + options.durationMs;
  const started = performance.now();
  await Promise.all(Array.from({ length: options.concurrency }, async () => {
    while (performance.now() < deadline) {
      await op(done);
      done += 1;
    }
  }));
  return Math.round(done / ((performance.now() - started) / 1000));
}
