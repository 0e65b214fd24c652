// Burst limiter at a window's edge: the challenge service's per-user push limit (a sliding window, CONTRACT §5),
// driven through its public HTTP API, against rate-limiter-flexible (a fixed window) on the same Redis and the same
// schedule. The gate's cost is not measured apart: its Lua script is the service's own (ADR 0006 keeps the figures of
// that comparison), and through the API it is part of every create of the flow phases.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { request } from 'undici';
import { enrollVirtualUsers, type FlowStack } from './push-flow.bench.ts';

/** The push limit's window (pushes per user and minute): a policy sets the limit, not the window. */
const WINDOW_MS = 60_000;
const LIMIT = 3;
/** How far before and after the window's end the bursts go: room for a create's latency on a busy box. */
const EDGE_MARGIN_MS = 3_000;

export interface BurstLimiterResult {
  windowMs: number;
  /** Admitted of 2×limit requests around a window edge (see boundaryBurst); a sliding window admits limit + 1 (the opener has left the window). */
  boundaryBurstAdmitted: { vigilGate: number; rateLimiterFlexible: number; limit: number; slidingWindowAllows: number };
}

const sleepUntil = (at: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, at - performance.now())));

/**
 * One request opens the window; just before it ends, the rest of the limit; just after, a full limit again. Within
 * those few seconds a sliding window admits `limit - 1` more at most; a fixed window admits a whole new `limit`.
 */
async function boundaryBurst(admit: () => Promise<boolean>): Promise<number> {
  const opened = performance.now();
  let admitted = Number(await admit());
  const openerAnswered = performance.now();
  await sleepUntil(opened + WINDOW_MS - EDGE_MARGIN_MS);
  for (let i = 1; i < LIMIT; i += 1) admitted += Number(await admit());
  await sleepUntil(openerAnswered + WINDOW_MS + EDGE_MARGIN_MS);
  for (let i = 0; i < LIMIT; i += 1) admitted += Number(await admit());
  return admitted;
}

async function call(url: string, method: 'POST' | 'PUT', apiKey: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await request(url, { method, headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.body.text();
  return { status: response.statusCode, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

/**
 * A create through the API, for a user with a device under a policy of LIMIT pushes a minute: past the limit a
 * challenge is still created, quietly, so "admitted" means pushed. A 404 (the device not yet seen) is not counted by
 * the gate and is asked again.
 */
async function pushAdmission(stack: FlowStack): Promise<() => Promise<boolean>> {
  const policy = await call(`${stack.services.challenge}/v1/policy`, 'PUT', stack.adminKey, { pushesPerMinute: LIMIT, challengeTtlSeconds: 600 });
  if (policy.status !== 200) throw new Error(`burst limiter policy: ${policy.status} ${JSON.stringify(policy.body)}`);
  const [user] = await enrollVirtualUsers(stack, 1, `edge-${Date.now().toString(36)}`);
  if (!user) throw new Error('burst limiter: no user enrolled');
  return async () => {
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const created = await call(`${stack.services.challenge}/v1/challenges`, 'POST', stack.authKey, { userId: user.userId, context: { application: 'bench-edge' } });
      if (created.status === 201) return created.body['delivery'] === 'push';
      if (created.status !== 404) throw new Error(`burst limiter create: ${created.status} ${JSON.stringify(created.body)}`);
      await sleepUntil(performance.now() + 250);
    }
    throw new Error('burst limiter: the device never reached the challenge service');
  };
}

/**
 * Both limiters through one window edge, side by side (a little over a minute, mostly waiting). `stack` is a tenant
 * of its own: its policy is changed.
 */
export async function benchBurstLimiter(redisUrl: string, stack: FlowStack): Promise<BurstLimiterResult> {
  const redis = new Redis(redisUrl);
  try {
    const admitPush = await pushAdmission(stack);
    const flexible = new RateLimiterRedis({ storeClient: redis, points: LIMIT, duration: WINDOW_MS / 1000, keyPrefix: `bench-rlf-b-${randomUUID()}` });
    const key = `bench:boundary:${randomUUID()}`;
    const [vigilGate, rateLimiterFlexible] = await Promise.all([
      boundaryBurst(admitPush),
      boundaryBurst(() => flexible.consume(key).then(() => true, () => false)),
    ]);
    return { windowMs: WINDOW_MS, boundaryBurstAdmitted: { vigilGate, rateLimiterFlexible, limit: LIMIT, slidingWindowAllows: LIMIT + 1 } };
  } finally {
    redis.disconnect();
  }
}
