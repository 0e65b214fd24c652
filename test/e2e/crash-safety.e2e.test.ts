import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOPICS, decodeEvent } from '@vigil/events';
import { createKafka } from '@vigil/kafka';
import { createLogger } from '@vigil/logger';
import { VigilDevice, type SignedPayload } from '@vigil/device-sdk';
import { freePort, provideInfra, waitFor, type Infra, type ManagedProcess } from '@vigil/testkit';
import { serviceEnvironment, startServiceProcess, type ServicePlan } from '../../tools/stack/service-processes.ts';
import { SERVICES, type ServiceName } from '../../tools/stack/services.ts';
import { waitUntilReady } from '../../tools/stack/readiness.ts';

// Crash safety (issue #8): under a steady stream of pushes that devices answer, SIGKILL a service and start it again.
// Every challenge created must reach a terminal state the login system can read; none may be decided twice.

const stateDir = mkdtempSync(join(tmpdir(), 'vigil-crash-'));
const processes = new Map<ServiceName, ManagedProcess>();
let infra: Infra;
let plan: ServicePlan[];
let env: NodeJS.ProcessEnv;
const url = (name: ServiceName) => plan.find((service) => service.name === name)?.baseUrl ?? '';
const USERS = ['u0', 'u1', 'u2', 'u3', 'u4'];
const numbers = new Map<string, string>();

async function start(name: ServiceName) {
  const proc = startServiceProcess(name, env);
  processes.set(name, proc);
  let alive = true;
  void proc.exited.then(() => { alive = false; });
  await waitUntilReady(url(name), 120_000, () => alive).catch((error: Error) => {
    throw new Error(`${name}: ${error.message}\n${proc.tail()}`);
  });
}

async function call(base: string, method: string, path: string, key: string, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method, headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json().catch(() => null)) as Record<string, unknown> | null };
}

beforeAll(async () => {
  infra = await provideInfra({ env: {} });
  plan = await Promise.all(SERVICES.map(async (service) => {
    const port = await freePort();
    return { name: service.name, port, baseUrl: `http://127.0.0.1:${port}` };
  }));
  env = serviceEnvironment(infra, stateDir, plan, {
    ...process.env, LOG_LEVEL: 'error', CHALLENGE_TTL_SECONDS: '8',
    // The load here is one tenant hammering five users on purpose: lift the throttles, keep everything else.
    PUSH_LIMIT_PER_MINUTE: '10000', PUSH_LIMIT_PER_HOUR: '100000', COOLDOWN_AFTER_MISSES: '100',
  });
  await Promise.all(SERVICES.map((service) => start(service.name)));
}, 240_000);

afterAll(async () => {
  await Promise.allSettled([...processes.values()].map((proc) => proc.stop(10_000)));
  await infra?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

describe('crash safety', () => {
  it('loses and doubles nothing when verification and challenge are SIGKILLed mid-flow', async () => {
    const devices = await Promise.all(USERS.map(async (userId) => {
      const started = await call(url('enrollment'), 'POST', `/v1/users/${userId}/push-enrollments`, 'dev-admin-key', {});
      return VigilDevice.activate(String(started.body?.['activationUri']), { platform: 'web', pushToken: null });
    }));
    await waitFor(async () => (await call(url('challenge'), 'POST', '/v1/challenges', 'dev-auth-key', { userId: 'u0' })).status === 201, { timeoutMs: 30_000, what: 'devices to reach the challenge service' });

    let running = true;
    const phones = devices.map(async (device) => {
      while (running) {
        try {
          const pending = await device.request<{ challenges: SignedPayload[] }>(url('verification'), 'GET', '/v1/device/challenges/pending?waitSeconds=1');
          for (const signed of pending.body?.challenges ?? []) {
            const payload = JSON.parse(signed.payload) as { challengeId: string };
            const number = numbers.get(payload.challengeId);
            if (number) await device.request(url('verification'), 'POST', `/v1/device/challenges/${payload.challengeId}/response`, { decision: 'approve', numberMatch: number });
          }
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
    });

    const created: string[] = [];
    const recoveries: Record<string, number> = {};
    const load = (async () => {
      for (let i = 0; running; i += 1) {
        try {
          const answer = await call(url('challenge'), 'POST', '/v1/challenges', 'dev-auth-key', { userId: USERS[i % USERS.length] });
          if (answer.status === 201) {
            numbers.set(String(answer.body?.['challengeId']), String(answer.body?.['numberMatch']));
            created.push(String(answer.body?.['challengeId']));
          }
        } catch {
          // The challenge service is down: a login system would retry.
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();

    const crash = async (name: ServiceName) => {
      await processes.get(name)?.stop(0).catch(() => {});
      const killedAt = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await start(name);
      recoveries[name] = Date.now() - killedAt;
    };
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await crash('verification');
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await crash('challenge');
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    running = false;
    await load;
    await Promise.all(phones);

    // Every challenge ends: decided, or expired by the sweeper (also for one the crash cut off before its event).
    const outcomes: Record<string, number> = {};
    await waitFor(async () => {
      for (const key of Object.keys(outcomes)) delete outcomes[key];
      for (const challengeId of created) {
        const answer = await call(url('challenge'), 'GET', `/v1/challenges/${challengeId}`, 'dev-auth-key');
        const status = String(answer.body?.['status'] ?? 'unreadable');
        outcomes[status] = (outcomes[status] ?? 0) + 1;
      }
      return !outcomes['pending'] && !outcomes['unreadable'];
    }, { timeoutMs: 40_000, intervalMs: 1_000, what: 'every challenge to reach a terminal state' });

    const decisions = new Map<string, number>();
    const kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: 'crash-reader', log: createLogger({ name: 'crash', level: 'silent' }) });
    const reader = kafka.consumer({ groupId: `crash-reader-${Date.now()}` });
    await reader.connect();
    await reader.subscribe({ topic: TOPICS.verifications, fromBeginning: true });
    let read = 0;
    await reader.run({ eachMessage: async ({ message }) => {
      read += 1;
      const decoded = message.value && decodeEvent(message.value);
      if (!decoded || !decoded.ok || !['vigil.challenge.approved', 'vigil.challenge.denied', 'vigil.challenge.reported'].includes(decoded.event.type)) return;
      const id = (decoded.event.data as { challengeId: string }).challengeId;
      decisions.set(id, (decisions.get(id) ?? 0) + 1);
    } });
    await waitFor(() => read > 0 && decisions.size >= (outcomes['approved'] ?? 0) - 5, { timeoutMs: 20_000, what: 'the decision events' });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await reader.disconnect();

    const decidedTwice = [...decisions.values()].filter((count) => count > 1).length;
    console.info(`crash safety: ${created.length} challenges issued, outcomes ${JSON.stringify(outcomes)}, lost 0, decided twice ${decidedTwice}, recovery ms ${JSON.stringify(recoveries)}`);
    expect(created.length).toBeGreaterThan(20);
    expect(outcomes['approved'] ?? 0).toBeGreaterThan(0);
    expect(decidedTwice).toBe(0);
  }, 180_000);
});
