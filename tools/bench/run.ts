// `npm run bench`: benchmarks beside their baselines, measured in one run on this machine. Results are ratios
// against the baselines, never pass/fail thresholds. Writes bench/results/latest.json and a timestamped copy.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalRedis } from '@vigil/testkit';
import { benchBurstLimiter } from './burst-limiter.bench.ts';
import { benchEd25519 } from './ed25519.bench.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const durationMs = Number(process.env['BENCH_DURATION_MS'] ?? 3_000);

const redis = process.env['REDIS_URL'] ? null : await startLocalRedis();
try {
  const redisUrl = process.env['REDIS_URL'] ?? redis?.url ?? '';
  const burstLimiter = await benchBurstLimiter(redisUrl, { durationMs, concurrency: 50 });
  const ed25519 = await benchEd25519({ durationMs });
  const results = {
    measuredAt: new Date().toISOString(),
    machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
    ed25519,
    burstLimiter: {
      ...burstLimiter,
      vigilGateVsRedisPing: +(burstLimiter.vigilGateChecksPerSecond / burstLimiter.redisPingOpsPerSecond).toFixed(3),
      rateLimiterFlexibleVsRedisPing: +(burstLimiter.rateLimiterFlexibleChecksPerSecond / burstLimiter.redisPingOpsPerSecond).toFixed(3),
    },
  };
  const folder = join(root, 'bench', 'results');
  mkdirSync(folder, { recursive: true });
  const text = `${JSON.stringify(results, null, 2)}\n`;
  writeFileSync(join(folder, 'latest.json'), text);
  writeFileSync(join(folder, `${results.measuredAt.replace(/[:.]/g, '-')}.json`), text);
  process.stdout.write(text);
} finally {
  await redis?.stop();
}
