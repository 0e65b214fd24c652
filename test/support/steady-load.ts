// A steady push load for the crash and fault tests: poll-mode phones that approve every challenge they see with the
// right number, a login system pushing round robin over its users, a fleet of service processes that can be killed
// and started again, and the checks that follow (every challenge terminal, no challenge decided twice).
import { VigilDevice, type SignedPayload } from '@vigil/device-sdk';
import { nodeEd25519 } from '@vigil/device-sdk/node';
import { TOPICS, decodeEvent } from '@vigil/events';
import { createKafka } from '@vigil/kafka';
import { createLogger } from '@vigil/logger';
import { waitFor, type ManagedProcess } from '@vigil/testkit';
import { waitUntilReady } from '../../tools/stack/readiness.ts';
import { startServiceProcess, type ServicePlan } from '../../tools/stack/service-processes.ts';
import type { ServiceName } from '../../tools/stack/services.ts';

export const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

export interface CallResult {
  status: number;
  body: Record<string, unknown> | null;
}

export async function call(base: string, method: string, path: string, key: string, body?: unknown): Promise<CallResult> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(15_000),
  });
  return { status: response.status, body: (await response.json().catch(() => null)) as Record<string, unknown> | null };
}

/** The five services as processes (their bundles), each started and killed on demand. */
export class ServiceFleet {
  readonly #processes = new Map<ServiceName, ManagedProcess>();
  readonly #plan: ServicePlan[];
  readonly #env: NodeJS.ProcessEnv;

  constructor(plan: ServicePlan[], env: NodeJS.ProcessEnv) {
    this.#plan = plan;
    this.#env = env;
  }

  url(name: ServiceName): string {
    return this.#plan.find((service) => service.name === name)?.baseUrl ?? '';
  }

  async start(name: ServiceName): Promise<void> {
    const proc = startServiceProcess(name, this.#env);
    this.#processes.set(name, proc);
    let alive = true;
    void proc.exited.then(() => void (alive = false));
    await waitUntilReady(this.url(name), 120_000, () => alive).catch((error: Error) => {
      throw new Error(`${name}: ${error.message}\n${proc.tail()}`);
    });
  }

  /** SIGKILL, a second of silence, then a fresh process that must become ready. */
  async crash(name: ServiceName): Promise<void> {
    await this.#processes.get(name)?.stop(0).catch(() => {});
    await sleep(1_000);
    await this.start(name);
  }

  async stopAll(): Promise<void> {
    await Promise.allSettled([...this.#processes.values()].map((proc) => proc.stop(10_000)));
  }
}

export interface IssuedChallenge {
  challengeId: string;
  at: number;
}

/** Challenges the load has issued, and the number each one shows (the phones type it). */
export class IssuedChallenges {
  readonly list: IssuedChallenge[] = [];
  readonly #numbers = new Map<string, string>();

  /** Records a 201 answer to POST /v1/challenges; returns its id, or null for any other answer. */
  record(answer: CallResult): string | null {
    if (answer.status !== 201) return null;
    const challengeId = String(answer.body?.['challengeId']);
    this.#numbers.set(challengeId, String(answer.body?.['numberMatch']));
    this.list.push({ challengeId, at: Date.now() });
    return challengeId;
  }

  numberOf(challengeId: string): string | undefined {
    return this.#numbers.get(challengeId);
  }
}

export interface SteadyLoad {
  issued: IssuedChallenges;
  /** Stops pushing and the phones, and waits for both. */
  stop(): Promise<void>;
}

/**
 * Enrolls a poll-mode phone per user, waits until a push to `readyUser` is accepted, then runs the phones and a login
 * system that pushes to `loadUsers` round robin every `intervalMs` (retrying quietly while a service is down).
 */
export async function startSteadyLoad(fleet: ServiceFleet, options: { users: string[]; loadUsers: string[]; readyUser: string; intervalMs?: number }): Promise<SteadyLoad> {
  const issued = new IssuedChallenges();
  const devices = await Promise.all(options.users.map(async (userId) => {
    const started = await call(fleet.url('enrollment'), 'POST', `/v1/users/${userId}/push-enrollments`, 'dev-admin-key', {});
    return VigilDevice.activate(String(started.body?.['activationUri']), { platform: 'web', pushToken: null, engine: nodeEd25519 });
  }));
  await waitFor(async () => (await call(fleet.url('challenge'), 'POST', '/v1/challenges', 'dev-auth-key', { userId: options.readyUser })).status === 201, { timeoutMs: 30_000, what: 'devices to reach the challenge service' });

  let running = true;
  const phones = devices.map(async (device) => {
    while (running) {
      try {
        const pending = await device.request<{ challenges: SignedPayload[] }>(fleet.url('verification'), 'GET', '/v1/device/challenges/pending?waitSeconds=1');
        for (const signed of pending.body?.challenges ?? []) {
          const { challengeId } = JSON.parse(signed.payload) as { challengeId: string };
          const number = issued.numberOf(challengeId);
          if (number) await device.request(fleet.url('verification'), 'POST', `/v1/device/challenges/${challengeId}/response`, { decision: 'approve', numberMatch: number });
        }
      } catch {
        await sleep(200);
      }
    }
  });
  const load = (async () => {
    for (let i = 0; running; i += 1) {
      try {
        issued.record(await call(fleet.url('challenge'), 'POST', '/v1/challenges', 'dev-auth-key', { userId: options.loadUsers[i % options.loadUsers.length] }));
      } catch {
        // Down: a login system would retry.
      }
      await sleep(options.intervalMs ?? 50);
    }
  })();
  return {
    issued,
    async stop() {
      running = false;
      await Promise.allSettled([...phones, load]);
    },
  };
}

/**
 * Polls each challenge until none is pending or unreadable (decided, or expired by the sweeper — also one a crash cut
 * off before its event), or the time is up; returns the last status of each.
 */
export async function settleChallenges(fleet: ServiceFleet, challengeIds: string[], timeoutMs: number): Promise<Map<string, string>> {
  const status = new Map<string, string>();
  await waitFor(async () => {
    for (const challengeId of challengeIds) {
      if (status.has(challengeId) && status.get(challengeId) !== 'pending' && status.get(challengeId) !== 'unreadable') continue;
      const answer = await call(fleet.url('challenge'), 'GET', `/v1/challenges/${challengeId}`, 'dev-auth-key').catch(() => null);
      status.set(challengeId, String(answer?.body?.['status'] ?? 'unreadable'));
    }
    return [...status.values()].every((value) => value !== 'pending' && value !== 'unreadable');
  }, { timeoutMs, intervalMs: 1_000, what: 'every challenge to reach a terminal state' }).catch(() => undefined);
  return status;
}

export function countOutcomes(status: Map<string, string>, challengeIds: string[]): Record<string, number> {
  const outcomes: Record<string, number> = {};
  for (const challengeId of challengeIds) {
    const value = status.get(challengeId) ?? 'unreadable';
    outcomes[value] = (outcomes[value] ?? 0) + 1;
  }
  return outcomes;
}

const DECISIONS = new Set(['vigil.challenge.approved', 'vigil.challenge.denied', 'vigil.challenge.reported']);

/** Decision events on vigil.verifications.v1 per challenge id, read from the beginning until `expected` are seen. */
export async function decisionCounts(brokers: string[], expected: number): Promise<Map<string, number>> {
  const decisions = new Map<string, number>();
  const kafka = createKafka({ brokers, clientId: 'decision-reader', log: createLogger({ name: 'decision-reader', level: 'silent' }) });
  const reader = kafka.consumer({ groupId: `decision-reader-${Date.now()}` });
  await reader.connect();
  await reader.subscribe({ topic: TOPICS.verifications, fromBeginning: true });
  await reader.run({ eachMessage: async ({ message }) => {
    const decoded = message.value && decodeEvent(message.value);
    if (!decoded || !decoded.ok || !DECISIONS.has(decoded.event.type)) return;
    const id = (decoded.event.data as { challengeId: string }).challengeId;
    decisions.set(id, (decisions.get(id) ?? 0) + 1);
  } });
  await waitFor(() => decisions.size >= expected, { timeoutMs: 30_000, what: 'the decision events' }).catch(() => undefined);
  // Late duplicates would arrive after the firsts: give them a moment.
  await sleep(2_000);
  await reader.disconnect();
  return decisions;
}
