import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VigilDevice, type SignedPayload } from '@vigil/device-sdk';
import { nodeEd25519 } from '@vigil/device-sdk/node';
import { TOPICS, decodeEvent } from '@vigil/events';
import { createKafka } from '@vigil/kafka';
import { createLogger } from '@vigil/logger';
import { freePort, startLocalKafka, startLocalMongo, startLocalRedis, waitFor, type ManagedProcess } from '@vigil/testkit';
import { bundleServices } from '../../tools/build/bundle-services.ts';
import { waitUntilReady } from '../../tools/stack/readiness.ts';
import { serviceEnvironment, startServiceProcess, type ServicePlan } from '../../tools/stack/service-processes.ts';
import { SERVICES, type ServiceName } from '../../tools/stack/services.ts';

// Fault tests (`npm run test:faults`): under a steady load of challenges that phones answer, SIGKILL each service in
// turn, restart the Kafka broker, and stop Redis for 10 s. For each fault: challenges issued, terminal outcomes, lost
// (must be 0), decided twice (must be 0) and recovery time (fault → the service is back and a new push completes).

const root = resolve(import.meta.dirname, '../..');
const stateDir = mkdtempSync(join(tmpdir(), 'vigil-faults-'));
const redisDir = mkdtempSync(join(tmpdir(), 'vigil-faults-redis-'));
const processes = new Map<ServiceName, ManagedProcess>();
const USERS = ['u0', 'u1', 'u2', 'u3', 'u4', 'probe'];
const LOAD_USERS = USERS.filter((user) => user !== 'probe');
const numbers = new Map<string, string>();
const created: { challengeId: string; at: number }[] = [];
let kafka: Awaited<ReturnType<typeof startLocalKafka>>;
let redis: Awaited<ReturnType<typeof startLocalRedis>>;
let mongo: Awaited<ReturnType<typeof startLocalMongo>>;
let plan: ServicePlan[];
let env: NodeJS.ProcessEnv;
let running = true;
let background: Promise<unknown>[] = [];
const url = (name: ServiceName) => plan.find((service) => service.name === name)?.baseUrl ?? '';
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

interface FaultReport {
  fault: string;
  issued: number;
  outcomes: Record<string, number>;
  lost: number;
  decidedTwice: number;
  recoveryMs: number;
}
const windows: { fault: string; from: number; to: number; recoveryMs: number }[] = [];

async function start(name: ServiceName): Promise<void> {
  const proc = startServiceProcess(name, env);
  processes.set(name, proc);
  let alive = true;
  void proc.exited.then(() => void (alive = false));
  await waitUntilReady(url(name), 120_000, () => alive).catch((error: Error) => {
    throw new Error(`${name}: ${error.message}\n${proc.tail()}`);
  });
}

async function call(base: string, method: string, path: string, key: string, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(15_000),
  });
  return { status: response.status, body: (await response.json().catch(() => null)) as Record<string, unknown> | null };
}

/** Time until a push created now completes (approved by its phone), retrying while anything is down. */
async function probeUntilAFlowCompletes(): Promise<void> {
  for (;;) {
    try {
      const push = await call(url('challenge'), 'POST', '/v1/challenges', 'dev-auth-key', { userId: 'probe' });
      if (push.status === 201) {
        const challengeId = String(push.body?.['challengeId']);
        numbers.set(challengeId, String(push.body?.['numberMatch']));
        created.push({ challengeId, at: Date.now() });
        const result = await call(url('challenge'), 'GET', `/v1/challenges/${challengeId}?waitSeconds=5`, 'dev-auth-key');
        if (result.body?.['status'] === 'approved') return;
      }
    } catch {
      // Down: a login system would retry.
    }
    await sleep(250);
  }
}

async function fault(name: string, inject: () => Promise<void>): Promise<void> {
  const from = Date.now();
  await sleep(2_000);
  const faultAt = Date.now();
  await inject();
  await probeUntilAFlowCompletes();
  const recoveryMs = Date.now() - faultAt;
  await sleep(1_000);
  windows.push({ fault: name, from, to: Date.now(), recoveryMs });
}

const sigkill = (name: ServiceName) => async () => {
  await processes.get(name)?.stop(0).catch(() => {});
  await sleep(1_000);
  await start(name);
};

beforeAll(async () => {
  // The processes run from the bundles the image ships, built from the sources under test.
  await bundleServices();
  [kafka, redis, mongo] = await Promise.all([startLocalKafka(), startLocalRedis({ persistDir: redisDir }), startLocalMongo()]);
  plan = await Promise.all(SERVICES.map(async (service) => {
    const port = await freePort();
    return { name: service.name, port, baseUrl: `http://127.0.0.1:${port}` };
  }));
  env = serviceEnvironment({ kafkaBrokers: [kafka.url], redisUrl: redis.url, mongoUrl: mongo.url }, stateDir, plan, {
    ...process.env, LOG_LEVEL: 'error', CHALLENGE_TTL_SECONDS: '8',
    // One tenant pushes five users on purpose: lift the throttles, keep everything else.
    PUSH_LIMIT_PER_MINUTE: '10000', PUSH_LIMIT_PER_HOUR: '100000', COOLDOWN_AFTER_MISSES: '100', PUSH_BURST_COUNT: '10000',
    // Expiries caused by the faults would otherwise read as fatigue and suspend the load's users.
    FATIGUE_MISSES: '10000', DENIAL_STREAK_COUNT: '10000',
  });
  await Promise.all(SERVICES.map((service) => start(service.name)));

  const devices = await Promise.all(USERS.map(async (userId) => {
    const started = await call(url('enrollment'), 'POST', `/v1/users/${userId}/push-enrollments`, 'dev-admin-key', {});
    return VigilDevice.activate(String(started.body?.['activationUri']), { platform: 'web', pushToken: null, engine: nodeEd25519 });
  }));
  await waitFor(async () => (await call(url('challenge'), 'POST', '/v1/challenges', 'dev-auth-key', { userId: 'probe' })).status === 201, { timeoutMs: 30_000, what: 'devices to reach the challenge service' });

  // Phones in poll mode answer everything they see with the right number.
  const phones = devices.map(async (device) => {
    while (running) {
      try {
        const pending = await device.request<{ challenges: SignedPayload[] }>(url('verification'), 'GET', '/v1/device/challenges/pending?waitSeconds=1');
        for (const signed of pending.body?.challenges ?? []) {
          const { challengeId } = JSON.parse(signed.payload) as { challengeId: string };
          const number = numbers.get(challengeId);
          if (number) await device.request(url('verification'), 'POST', `/v1/device/challenges/${challengeId}/response`, { decision: 'approve', numberMatch: number });
        }
      } catch {
        await sleep(200);
      }
    }
  });
  // A login system pushing every 50 ms, round robin over five users.
  const load = (async () => {
    for (let i = 0; running; i += 1) {
      try {
        const answer = await call(url('challenge'), 'POST', '/v1/challenges', 'dev-auth-key', { userId: LOAD_USERS[i % LOAD_USERS.length] });
        if (answer.status === 201) {
          numbers.set(String(answer.body?.['challengeId']), String(answer.body?.['numberMatch']));
          created.push({ challengeId: String(answer.body?.['challengeId']), at: Date.now() });
        }
      } catch {
        // Down: a login system would retry.
      }
      await sleep(50);
    }
  })();
  background = [...phones, load];
}, 300_000);

afterAll(async () => {
  running = false;
  await Promise.allSettled(background);
  await Promise.allSettled([...processes.values()].map((proc) => proc.stop(10_000)));
  await Promise.allSettled([kafka?.stop(), redis?.stop(), mongo?.stop()]);
  rmSync(stateDir, { recursive: true, force: true });
  rmSync(redisDir, { recursive: true, force: true });
});

describe('faults under load', () => {
  it('loses nothing and decides nothing twice through SIGKILLs, a broker restart and a Redis outage', async () => {
    for (const service of SERVICES) await fault(`SIGKILL ${service.name}`, sigkill(service.name));
    await fault('restart Kafka broker', () => kafka.restart());
    await fault('stop Redis for 10 s', async () => {
      await redis.stop();
      await sleep(10_000);
      redis = await startLocalRedis({ port: redis.port, persistDir: redisDir });
    });
    running = false;
    await Promise.allSettled(background);

    // Every challenge ends: decided, or expired by the sweeper (also one a crash cut off before its event).
    const status = new Map<string, string>();
    await waitFor(async () => {
      for (const { challengeId } of created) {
        if (status.has(challengeId) && status.get(challengeId) !== 'pending') continue;
        const answer = await call(url('challenge'), 'GET', `/v1/challenges/${challengeId}`, 'dev-auth-key').catch(() => null);
        status.set(challengeId, String(answer?.body?.['status'] ?? 'unreadable'));
      }
      return [...status.values()].every((value) => value !== 'pending' && value !== 'unreadable');
    }, { timeoutMs: 60_000, intervalMs: 1_000, what: 'every challenge to reach a terminal state' }).catch(() => undefined);

    // Decisions on the topic, counted per challenge.
    const decisions = new Map<string, number>();
    const client = createKafka({ brokers: [kafka.url], clientId: 'faults-reader', log: createLogger({ name: 'faults', level: 'silent' }) });
    const reader = client.consumer({ groupId: `faults-reader-${Date.now()}` });
    await reader.connect();
    await reader.subscribe({ topic: TOPICS.verifications, fromBeginning: true });
    const approved = [...status.values()].filter((value) => value === 'approved').length;
    await reader.run({ eachMessage: async ({ message }) => {
      const decoded = message.value && decodeEvent(message.value);
      if (!decoded || !decoded.ok || !['vigil.challenge.approved', 'vigil.challenge.denied', 'vigil.challenge.reported'].includes(decoded.event.type)) return;
      const id = (decoded.event.data as { challengeId: string }).challengeId;
      decisions.set(id, (decisions.get(id) ?? 0) + 1);
    } });
    await waitFor(() => decisions.size >= approved, { timeoutMs: 30_000, what: 'the decision events' }).catch(() => undefined);
    await sleep(2_000);
    await reader.disconnect();

    const reports: FaultReport[] = windows.map((window) => {
      const mine = created.filter((entry) => entry.at >= window.from && entry.at < window.to);
      const outcomes: Record<string, number> = {};
      for (const { challengeId } of mine) {
        const value = status.get(challengeId) ?? 'unreadable';
        outcomes[value] = (outcomes[value] ?? 0) + 1;
      }
      return {
        fault: window.fault,
        issued: mine.length,
        outcomes,
        lost: (outcomes['pending'] ?? 0) + (outcomes['unreadable'] ?? 0),
        decidedTwice: mine.filter(({ challengeId }) => (decisions.get(challengeId) ?? 0) > 1).length,
        recoveryMs: window.recoveryMs,
      };
    });
    const folder = join(root, '.tmp');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'faults-report.json'), `${JSON.stringify(reports, null, 2)}\n`);
    console.info(['fault report (also .tmp/faults-report.json):', ...reports.map((report) =>
      `  ${report.fault.padEnd(28)} issued ${String(report.issued).padStart(4)}  lost ${report.lost}  decided twice ${report.decidedTwice}  recovery ${(report.recoveryMs / 1000).toFixed(1)} s  ${JSON.stringify(report.outcomes)}`)].join('\n'));

    for (const report of reports) {
      expect(report.issued, report.fault).toBeGreaterThan(0);
      expect(report.lost, report.fault).toBe(0);
      expect(report.decidedTwice, report.fault).toBe(0);
    }
    expect(reports).toHaveLength(SERVICES.length + 2);
  }, 900_000);
});
