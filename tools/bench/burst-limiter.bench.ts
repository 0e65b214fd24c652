// Burst limiter: Vigil's Lua push gate (sliding-window logs) against rate-limiter-flexible (fixed window), both
// beside a bare Redis round trip on the same server, in one run. Also checks each for the boundary burst that a
// fixed window lets through.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { opsPerSecond } from './load-loop.ts';
import { registerScripts } from '../../services/challenge/src/adapters/redis-scripts.ts';

const USERS = 10_000;

export interface BurstLimiterResult {
  redisPingOpsPerSecond: number;
  vigilGateChecksPerSecond: number;
  rateLimiterFlexibleChecksPerSecond: number;
  /** rate-limiter-flexible doing the whole admission: user/minute, user/hour and tenant+IP, three calls. */
  rateLimiterFlexibleFullAdmissionsPerSecond: number;
  /** Admitted of 2×limit requests around a window edge (see boundaryBurst); a sliding window admits limit + 1 (the opener has left the window). */
  boundaryBurstAdmitted: { vigilGate: number; rateLimiterFlexible: number; limit: number; slidingWindowAllows: number };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One request opens the window; just before it ends, the rest of the limit; just after, a full limit again. Within
 * those 100 ms a sliding window admits `limit - 1` more at most; a fixed window admits a whole new `limit`.
 */
async function boundaryBurst(admit: (key: string) => Promise<boolean>, windowMs: number, limit: number): Promise<number> {
  const key = `bench:boundary:${randomUUID()}`;
  let admitted = Number(await admit(key));
  await sleep(windowMs - 50);
  for (let i = 1; i < limit; i += 1) admitted += Number(await admit(key));
  await sleep(100);
  for (let i = 0; i < limit; i += 1) admitted += Number(await admit(key));
  return admitted;
}

const BENCH_DEVICE_KEY = 'bench:device';

export async function benchBurstLimiter(redisUrl: string, options: { durationMs: number; concurrency: number }): Promise<BurstLimiterResult> {
  const redis = new Redis(redisUrl);
  const scripts = registerScripts(redis);
  const userKey = (i: number) => `{bench:${i % USERS}}`;
  // Past the per-minute limit a challenge is quiet (code 8), not pushed (code 0): "admitted" below means pushed.
  const gate = (user: string, perMinute: number, minuteMs: number) => scripts.pushGate(
    [`bench:s:${user}`, `bench:c:${user}`, `bench:u:${user}`, `bench:ip:${user}`, BENCH_DEVICE_KEY, `bench:ss:${user}`, `bench:q:${user}`],
    [perMinute, 1_000_000, 1_000_000, randomUUID(), '0', minuteMs, 3_600_000, 1_000_000, 1_000_000],
  );
  const flexible = new RateLimiterRedis({ storeClient: redis, points: 3, duration: 60, keyPrefix: `bench-rlf-${randomUUID()}` });
  const flexibleHour = new RateLimiterRedis({ storeClient: redis, points: 10, duration: 3600, keyPrefix: `bench-rlf-h-${randomUUID()}` });
  const flexibleIp = new RateLimiterRedis({ storeClient: redis, points: 300, duration: 60, keyPrefix: `bench-rlf-ip-${randomUUID()}` });
  try {
    // The gate first reads the user's active device (404 without one): one device for every bench user.
    await redis.hset(BENCH_DEVICE_KEY, 'd', 'bench-device');
    const redisPingOpsPerSecond = await opsPerSecond(() => redis.ping(), options);
    const vigilGateChecksPerSecond = await opsPerSecond((i) => gate(userKey(i), 3, 60_000), options);
    const rateLimiterFlexibleChecksPerSecond = await opsPerSecond((i) => flexible.consume(userKey(i)).catch(() => null), options);
    const rateLimiterFlexibleFullAdmissionsPerSecond = await opsPerSecond(async (i) => {
      await flexibleIp.consume(`ip${i % 500}`).catch(() => null);
      await flexible.consume(userKey(i)).catch(() => null);
      await flexibleHour.consume(userKey(i)).catch(() => null);
    }, options);

    const windowMs = 1_000;
    const shortFlexible = new RateLimiterRedis({ storeClient: redis, points: 3, duration: 1, keyPrefix: `bench-rlf-b-${randomUUID()}` });
    const vigilGate = await boundaryBurst(async (key) => (await gate(`{${key}}`, 3, windowMs))[0] === 0, windowMs, 3);
    const rateLimiterFlexible = await boundaryBurst((key) => shortFlexible.consume(key).then(() => true, () => false), windowMs, 3);
    return {
      redisPingOpsPerSecond, vigilGateChecksPerSecond, rateLimiterFlexibleChecksPerSecond, rateLimiterFlexibleFullAdmissionsPerSecond,
      boundaryBurstAdmitted: { vigilGate, rateLimiterFlexible, limit: 3, slidingWindowAllows: 4 },
    };
  } finally {
    redis.disconnect();
  }
}
