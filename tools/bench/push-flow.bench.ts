// The full push flow under load: virtual users, each with an enrolled poll-mode device answering through
// libs/device-sdk, against a running stack. One flow = the login system creates a challenge and long-polls its result;
// the device long-polls its pending challenges, checks the server's signature and approves with the number.
import { Agent, request } from 'undici';
import { VigilDevice, type SignedPayload } from '@vigil/device-sdk';
import { nodeEd25519 } from '@vigil/device-sdk/node';
import { latencyHistogram, summarize, type LatencySummary } from './histogram.ts';

export interface FlowStack {
  services: Record<'enrollment' | 'challenge' | 'verification', string>;
  adminKey: string;
  authKey: string;
}

export interface FlowSample {
  /** Seconds since the phase started, at the flow's end. */
  atSeconds: number;
  createMs: number;
  deliveryMs: number;
  decisionMs: number;
}

export interface FlowPhaseResult {
  flowsPerSecond: number;
  completed: number;
  failed: number;
  failures: Record<string, number>;
  createLatencyMs: LatencySummary;
  deliveryLatencyMs: LatencySummary;
  decisionLatencyMs: LatencySummary;
  /** HTTP requests per complete flow (login system and device together; re-polls included). */
  httpRequestsPerFlow: number;
  /** Open-loop phases: how late flows started against their schedule (all VUs busy), p99 ms. */
  startLagP99Ms?: number;
  samples: FlowSample[];
}

interface VirtualUser {
  userId: string;
  ip: string;
  device: VigilDevice;
}

const dispatcher = new Agent({ connections: 512, keepAliveTimeout: 30_000 });
/** HTTP requests sent by the load generator (login system and devices), for requests per flow. */
let httpRequests = 0;

/**
 * The devices' `fetch`, over undici's `request` on the shared pool: WHATWG fetch costs the load generator (which
 * shares the two cores with the system under test) about twice the CPU per request.
 */
const deviceFetch = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
  httpRequests += 1;
  const response = await request(String(input), {
    method: (init?.method ?? 'GET') as 'GET' | 'POST' | 'DELETE',
    dispatcher,
    headers: init?.headers as Record<string, string>,
    ...(init?.body ? { body: init.body as string } : {}),
  });
  return new Response(await response.body.text(), { status: response.statusCode });
}) as typeof fetch;

async function call(url: string, method: 'GET' | 'POST', apiKey: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  httpRequests += 1;
  const response = await request(url, {
    method,
    dispatcher,
    headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.body.text();
  return { status: response.statusCode, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

/** Enrolls `count` users, each with a poll-mode device whose requests are signed through node:crypto. */
export async function enrollVirtualUsers(stack: FlowStack, count: number, prefix: string): Promise<VirtualUser[]> {
  const users: VirtualUser[] = [];
  const queue = Array.from({ length: count }, (_, index) => index);
  await Promise.all(Array.from({ length: 16 }, async () => {
    for (let index = queue.shift(); index !== undefined; index = queue.shift()) {
      const userId = `${prefix}-${index}`;
      const started = await call(`${stack.services.enrollment}/v1/users/${userId}/push-enrollments`, 'POST', stack.adminKey, {});
      if (started.status !== 201) throw new Error(`enrollment of ${userId}: ${started.status} ${JSON.stringify(started.body)}`);
      const device = await VigilDevice.activate(String(started.body['activationUri']), { platform: 'android', pushToken: null, engine: nodeEd25519, fetch: deviceFetch });
      // One source IP per user (198.18.0.0/15 is for benchmarks): realistic, and no cross-user spray alerts.
      users.push({ userId, ip: `198.18.${Math.floor(index / 250)}.${(index % 250) + 1}`, device });
    }
  }));
  return users;
}

class FlowError extends Error {
  readonly code: string;
  constructor(code: string) {
    super(code);
    this.code = code;
  }
}

/** One complete flow; returns its three latencies in ms. */
async function runFlow(stack: FlowStack, user: VirtualUser): Promise<Omit<FlowSample, 'atSeconds'>> {
  const createStart = performance.now();
  const created = await call(`${stack.services.challenge}/v1/challenges`, 'POST', stack.authKey, { userId: user.userId, context: { ip: user.ip, application: 'bench' } });
  const createdAt = performance.now();
  if (created.status !== 201) throw new FlowError(`create_${created.status}_${String(created.body['code'] ?? '')}`);
  const challengeId = String(created.body['challengeId']);
  let decidedAt = 0;
  const result = call(`${stack.services.challenge}/v1/challenges/${challengeId}?waitSeconds=20`, 'GET', stack.authKey).then((answer) => {
    decidedAt = performance.now();
    return answer;
  });

  let signed: SignedPayload | undefined;
  for (let attempt = 0; attempt < 5 && !signed; attempt += 1) {
    const pending = await user.device.request<{ challenges: SignedPayload[] }>(stack.services.verification, 'GET', '/v1/device/challenges/pending?waitSeconds=10');
    if (pending.status !== 200) throw new FlowError(`pending_${pending.status}`);
    for (const candidate of pending.body.challenges) {
      const payload = await user.device.verifyServerPayload<{ challengeId: string }>(candidate);
      if (!payload) throw new FlowError('server_signature_invalid');
      if (payload.challengeId === challengeId) signed = candidate;
    }
  }
  if (!signed) throw new FlowError('never_delivered');
  const deliveredAt = performance.now();

  const respondStart = performance.now();
  const answer = await user.device.request<{ status?: string }>(stack.services.verification, 'POST', `/v1/device/challenges/${challengeId}/response`, {
    decision: 'approve', numberMatch: String(created.body['numberMatch']),
  });
  if (answer.status !== 200) throw new FlowError(`respond_${answer.status}`);
  let outcome = await result;
  // A long poll that returned just before the decision landed: ask again (counts in the decision latency).
  while (outcome.status === 200 && outcome.body['status'] === 'pending') outcome = await call(`${stack.services.challenge}/v1/challenges/${challengeId}?waitSeconds=20`, 'GET', stack.authKey);
  if (outcome.body['status'] !== 'approved') throw new FlowError(`result_${String(outcome.body['status'] ?? outcome.status)}`);
  return { createMs: createdAt - createStart, deliveryMs: deliveredAt - createdAt, decisionMs: Math.max(0, (decidedAt || performance.now()) - respondStart) };
}

/** What a phase's flows add up to: a histogram per latency, every flow's sample (for the chart), failures by code. */
class FlowTally {
  readonly #histograms = { create: latencyHistogram(), delivery: latencyHistogram(), decision: latencyHistogram() };
  readonly #samples: FlowSample[] = [];
  readonly #failures: Record<string, number> = {};
  #completed = 0;
  #failed = 0;

  addFlow(flow: Omit<FlowSample, 'atSeconds'>, atSeconds: number): void {
    this.#completed += 1;
    this.#histograms.create.recordValue(Math.round(flow.createMs * 1000));
    this.#histograms.delivery.recordValue(Math.round(flow.deliveryMs * 1000));
    this.#histograms.decision.recordValue(Math.round(flow.decisionMs * 1000));
    this.#samples.push({ atSeconds, ...flow });
  }

  addFailure(error: unknown): void {
    this.#failed += 1;
    const code = error instanceof FlowError ? error.code : (error as Error).message.slice(0, 60);
    this.#failures[code] = (this.#failures[code] ?? 0) + 1;
  }

  result(phase: { seconds: number; httpRequests: number; startLagP99Ms: number | null }): FlowPhaseResult {
    return {
      flowsPerSecond: Math.round(this.#completed / phase.seconds),
      completed: this.#completed,
      failed: this.#failed,
      failures: this.#failures,
      createLatencyMs: summarize(this.#histograms.create),
      deliveryLatencyMs: summarize(this.#histograms.delivery),
      decisionLatencyMs: summarize(this.#histograms.decision),
      httpRequestsPerFlow: +(phase.httpRequests / Math.max(1, this.#completed)).toFixed(2),
      ...(phase.startLagP99Ms === null ? {} : { startLagP99Ms: phase.startLagP99Ms }),
      samples: this.#samples,
    };
  }
}

/**
 * An open loop's schedule: slot n starts n / `perSecond` seconds into the phase, whichever user is free takes the
 * next one, and how late each flow started against its slot is recorded (late when every user is busy).
 */
function flowSchedule(started: number, deadline: number, perSecond: number) {
  const lag = latencyHistogram();
  let scheduled = 0;
  return {
    /** Waits for the next slot; false when it would start after the phase's end. */
    async nextSlot(): Promise<boolean> {
      const slot = started + (scheduled * 1000) / perSecond;
      if (slot >= deadline) return false;
      scheduled += 1;
      const wait = slot - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      lag.recordValue(Math.max(0, Math.round((performance.now() - slot) * 1000)));
      return true;
    },
    lagP99Ms: () => summarize(lag).p99,
  };
}

/**
 * Runs flows for `durationMs`. Closed loop (`perSecond` absent): every user starts its next flow as soon as the last
 * ends: the maximum throughput. Open loop: flows start on a fixed schedule of `perSecond`, each on a free user.
 */
export async function runFlowPhase(stack: FlowStack, users: VirtualUser[], options: { durationMs: number; perSecond?: number }): Promise<FlowPhaseResult> {
  const tally = new FlowTally();
  const requestsBefore = httpRequests;
  const started = performance.now();
  const deadline = started + options.durationMs;
  const schedule = options.perSecond ? flowSchedule(started, deadline, options.perSecond) : null;

  await Promise.all(users.map(async (user) => {
    while (performance.now() < deadline) {
      if (schedule && !(await schedule.nextSlot())) return;
      try {
        const flow = await runFlow(stack, user);
        tally.addFlow(flow, (performance.now() - started) / 1000);
      } catch (error) {
        tally.addFailure(error);
      }
    }
  }));
  return tally.result({ seconds: (performance.now() - started) / 1000, httpRequests: httpRequests - requestsBefore, startLagP99Ms: schedule?.lagP99Ms() ?? null });
}

export async function closeFlowClients(): Promise<void> {
  await dispatcher.close();
}
