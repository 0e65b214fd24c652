// A steady push load for the crash and fault tests: phones (poll mode, or FCM through the fake FCM) that decide each
// challenge by a rule the test knows (approve with the number, deny, or approve with a wrong number), a login system
// pushing round robin over its users, a fleet of service processes that can be killed and started again, and the
// checks that follow: every challenge ends in exactly its phone's decision, none is decided twice, none pushed twice.
import { createHash } from 'node:crypto';
import { VigilDevice, type SignedPayload } from '@vigil/device-sdk';
import { nodeEd25519 } from '@vigil/device-sdk/node';
import { TOPICS, decodeEvent } from '@vigil/events';
import { createKafka } from '@vigil/kafka';
import { createLogger } from '@vigil/logger';
import { waitFor, type FakeFcm, type ManagedProcess } from '@vigil/testkit';
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
  readonly #overrides: Partial<Record<ServiceName, NodeJS.ProcessEnv>>;
  readonly #bugs: string[] = [];

  /** `overrides`: settings of one service only (e.g. its Kafka through a proxy the test can cut). */
  constructor(plan: ServicePlan[], env: NodeJS.ProcessEnv, overrides: Partial<Record<ServiceName, NodeJS.ProcessEnv>> = {}) {
    this.#plan = plan;
    this.#env = env;
    this.#overrides = overrides;
  }

  #envOf(name: ServiceName): NodeJS.ProcessEnv {
    return { ...this.#env, ...this.#overrides[name] };
  }

  /**
   * Requests any service answered 500 (its error handler logs "request failed: a bug"): an outage must answer 503,
   * so a 500 under a fault is an outage the services took for a bug, or a bug.
   */
  bugAnswers(): readonly string[] {
    return this.#bugs;
  }

  #process(name: ServiceName): ManagedProcess {
    return startServiceProcess(name, this.#envOf(name), (line) => {
      if (line.includes('request failed: a bug')) this.#bugs.push(`${name}: ${line.slice(0, 2_000)}`);
    });
  }

  url(name: ServiceName): string {
    return this.#plan.find((service) => service.name === name)?.baseUrl ?? '';
  }

  async start(name: ServiceName): Promise<void> {
    const proc = this.#process(name);
    this.#processes.set(name, proc);
    let alive = true;
    void proc.exited.then(() => void (alive = false));
    await waitUntilReady(this.url(name), 120_000, () => alive).catch((error: Error) => {
      throw new Error(`${name}: ${error.message}\n${proc.tail()}`);
    });
  }

  /**
   * SIGKILLs in a row: each new process lives a random 0.5–1.5 s (it listens, takes requests, dies mid-work), then a
   * last one that must become ready. Aimed at the window between a state change and its publication.
   */
  async crashRepeatedly(name: ServiceName, times: number): Promise<void> {
    for (let kill = 0; kill < times; kill += 1) {
      await this.#processes.get(name)?.stop(0).catch(() => {});
      this.#processes.set(name, this.#process(name));
      await sleep(500 + Math.random() * 1_000);
    }
    await this.crash(name);
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
  userId: string;
  at: number;
}

/** Challenges the load has issued, and the number each one shows (the phones type it). */
export class IssuedChallenges {
  readonly list: IssuedChallenge[] = [];
  readonly #numbers = new Map<string, string>();

  /** Records a 201 answer to POST /v1/challenges; returns its id, or null for any other answer. */
  record(answer: CallResult, userId: string): string | null {
    if (answer.status !== 201) return null;
    const challengeId = String(answer.body?.['challengeId']);
    this.#numbers.set(challengeId, String(answer.body?.['numberMatch']));
    this.list.push({ challengeId, userId, at: Date.now() });
    return challengeId;
  }

  numberOf(challengeId: string): string | undefined {
    return this.#numbers.get(challengeId);
  }
}

export interface SteadyLoad {
  issued: IssuedChallenges;
  /**
   * Stops the login system and waits for its last push; the phones go on answering (a challenge issued in the last
   * instant must still reach its phone: stopping both at once would leave it to expire, and read as lost).
   */
  stopPushing(): Promise<void>;
  /** Stops pushing and the phones, and waits for both. */
  stop(): Promise<void>;
}

export type PhoneDecision = 'approve' | 'deny' | 'mismatch';

/**
 * What the phone does with a challenge, fixed by its id, so that the test knows every challenge's one right outcome:
 * half approved with the right number, a quarter denied, a quarter approved with a wrong number.
 */
export function decisionFor(challengeId: string): PhoneDecision {
  const bucket = createHash('sha256').update(challengeId).digest()[0] as number;
  return bucket % 4 === 2 ? 'deny' : bucket % 4 === 3 ? 'mismatch' : 'approve';
}

/** The status a challenge must end in given its phone's decision (CONTRACT §6). */
export function expectedStatus(decision: PhoneDecision): string {
  return decision === 'approve' ? 'approved' : 'denied';
}

export interface SteadyLoadOptions {
  users: string[];
  loadUsers: string[];
  /** Pushed to until it answers, before the load starts; its phone always approves (recovery probes). */
  readyUser: string;
  intervalMs?: number;
  /** Users whose phones have an FCM token and act on pushes only (the fake FCM must be the notification's egress). */
  fcmUsers?: string[];
  fcm?: FakeFcm;
}

/**
 * Enrolls a phone per user, waits until a push to `readyUser` is accepted, then runs the phones and a login system
 * that pushes to `loadUsers` round robin every `intervalMs` (retrying quietly while a service is down).
 */
export async function startSteadyLoad(fleet: ServiceFleet, options: SteadyLoadOptions): Promise<SteadyLoad> {
  const issued = new IssuedChallenges();
  const fcmUsers = new Set(options.fcmUsers ?? []);
  const devices = await Promise.all(options.users.map(async (userId) => {
    const started = await call(fleet.url('enrollment'), 'POST', `/v1/users/${userId}/push-enrollments`, 'dev-admin-key', {});
    const pushToken = fcmUsers.has(userId) ? `fcm-token-${userId}` : null;
    return { userId, pushToken, device: await VigilDevice.activate(String(started.body?.['activationUri']), { platform: 'web', pushToken, engine: nodeEd25519 }) };
  }));
  // Activation answers once every service knows the device (CONTRACT §2): the first push is accepted at once.
  const ready = await call(fleet.url('challenge'), 'POST', '/v1/challenges', 'dev-auth-key', { userId: options.readyUser });
  if (ready.status !== 201) throw new Error(`first push after activation answered ${ready.status}`);

  let running = true;
  let pushing = true;
  const answered = new Set<string>();
  const firstPushed = new Map<string, number>();
  const answer = async (device: VigilDevice, userId: string, challengeId: string) => {
    const number = issued.numberOf(challengeId);
    if (!number || answered.has(challengeId)) return;
    const decision = userId === options.readyUser ? 'approve' : decisionFor(challengeId);
    const body = decision === 'deny' ? { decision: 'deny' } : { decision: 'approve', numberMatch: decision === 'mismatch' ? wrongNumber(number) : number };
    const response = await device.request(fleet.url('verification'), 'POST', `/v1/device/challenges/${challengeId}/response`, body);
    // 200 (decided), 422 (mismatch recorded), 409/410 (decided or expired before): the phone is done with it. Anything
    // else (503, a dead process) and it tries again, as an app would.
    if ([200, 409, 410, 422].includes(response.status)) answered.add(challengeId);
  };
  const handling = new Map<string, Promise<void>>();
  /** One pushed challenge on an FCM phone: read it (signed), answer it; retry while the push is fresh. */
  const handlePush = async (device: VigilDevice, userId: string, challengeId: string) => {
    while (running && !answered.has(challengeId)) {
      try {
        const details = await device.request<SignedPayload>(fleet.url('verification'), 'GET', `/v1/device/challenges/${challengeId}`);
        if (details.status === 200 && (await device.verifyServerPayload(details.body))) await answer(device, userId, challengeId);
        // 404 may mean "not projected yet" (the service is catching up after a restart): an app tries again while the
        // push is fresh, as it would on a flaky network.
        else if (details.status === 410 || (details.status === 404 && Date.now() - (firstPushed.get(challengeId) ?? 0) > 60_000)) answered.add(challengeId);
      } catch {
        // The service is down for a moment: try again.
      }
      if (!answered.has(challengeId)) await sleep(300);
    }
  };
  const phones = devices.map(async ({ userId, pushToken, device }) => {
    let lastOpened = Date.now();
    while (running) {
      try {
        if (pushToken && options.fcm) {
          // An FCM phone learns of a challenge only from its push, then reads it (signed) and answers.
          const pushed = options.fcm.requests
            .filter((request) => request.message['token'] === pushToken)
            .map((request) => (request.message['data'] as Record<string, string>)['challengeId'] ?? '')
            .filter((challengeId) => challengeId && !answered.has(challengeId));
          // Each push is handled on its own, as a phone handles each notification as it arrives: one challenge the
          // service cannot show yet (404 while it catches up after a restart) must not hold up the others.
          for (const challengeId of new Set(pushed)) {
            if (handling.has(challengeId)) continue;
            if (!firstPushed.has(challengeId)) firstPushed.set(challengeId, Date.now());
            const handled = handlePush(device, userId, challengeId).finally(() => handling.delete(challengeId));
            handling.set(challengeId, handled);
          }
          // The user also opens the app now and then (the login page asks them to): it lists what is pending. A push
          // lost to a crash mid-send (at most once: never a second push) is then still answered.
          if (Date.now() - lastOpened > 5_000) {
            lastOpened = Date.now();
            const opened = await device.request<{ challenges: SignedPayload[] }>(fleet.url('verification'), 'GET', '/v1/device/challenges/pending?waitSeconds=0');
            for (const signed of opened.body?.challenges ?? []) await answer(device, userId, (JSON.parse(signed.payload) as { challengeId: string }).challengeId);
          }
          await sleep(100);
          continue;
        }
        const pending = await device.request<{ challenges: SignedPayload[] }>(fleet.url('verification'), 'GET', '/v1/device/challenges/pending?waitSeconds=1');
        for (const signed of pending.body?.challenges ?? []) {
          const { challengeId } = JSON.parse(signed.payload) as { challengeId: string };
          await answer(device, userId, challengeId);
        }
      } catch {
        await sleep(200);
      }
    }
  });
  // A SOC analyst and an admin at work through every fault: their routes read MongoDB and write Kafka directly, so an
  // outage there must answer 503, never 500 (the fleet counts 500s).
  const staff = (async () => {
    while (running && pushing) {
      await call(fleet.url('anomaly-detection'), 'GET', '/v1/alerts?limit=1', 'dev-soc-key').catch(() => null);
      await call(fleet.url('anomaly-detection'), 'DELETE', '/v1/users/nobody-at-all/push-suspension', 'dev-admin-key').catch(() => null);
      await sleep(1_000);
    }
  })();
  const load = (async () => {
    for (let i = 0; running && pushing; i += 1) {
      try {
        const userId = options.loadUsers[i % options.loadUsers.length] as string;
        issued.record(await call(fleet.url('challenge'), 'POST', '/v1/challenges', 'dev-auth-key', { userId }), userId);
      } catch {
        // Down: a login system would retry.
      }
      await sleep(options.intervalMs ?? 50);
    }
  })();
  return {
    issued,
    async stopPushing() {
      pushing = false;
      await Promise.all([load, staff]);
    },
    async stop() {
      running = false;
      await Promise.allSettled([...phones, load, staff, ...handling.values()]);
    },
  };
}

function wrongNumber(number: string): string {
  return [...number].map((digit) => String((Number(digit) + 1) % 10)).join('');
}

/** FCM sends per challenge id, from the fake FCM's log. */
export function pushesPerChallenge(fcm: FakeFcm): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of fcm.requests) {
    const challengeId = (request.message['data'] as Record<string, string> | undefined)?.['challengeId'];
    if (challengeId) counts.set(challengeId, (counts.get(challengeId) ?? 0) + 1);
  }
  return counts;
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

/**
 * Distinct decision events on vigil.verifications.v1 per challenge id, read from the beginning until `expected`
 * challenges have one. A record published twice (the writer's publish and the outbox relay's) carries one event id
 * and is one decision to every consumer; two different decisions for one challenge are two ids.
 */
export async function decisionCounts(brokers: string[], expected: number): Promise<Map<string, number>> {
  const ids = new Map<string, Set<string>>();
  const decisions = new Map<string, number>();
  const kafka = createKafka({ brokers, clientId: 'decision-reader', log: createLogger({ name: 'decision-reader', level: 'silent' }) });
  const reader = kafka.consumer({ groupId: `decision-reader-${Date.now()}` });
  await reader.connect();
  await reader.subscribe({ topic: TOPICS.verifications, fromBeginning: true });
  await reader.run({ eachMessage: async ({ message }) => {
    const decoded = message.value && decodeEvent(message.value);
    if (!decoded || !decoded.ok || !DECISIONS.has(decoded.event.type)) return;
    const id = (decoded.event.data as { challengeId: string }).challengeId;
    const seen = ids.get(id) ?? new Set<string>();
    seen.add(decoded.event.id);
    ids.set(id, seen);
    decisions.set(id, seen.size);
  } });
  await waitFor(() => decisions.size >= expected, { timeoutMs: 30_000, what: 'the decision events' }).catch(() => undefined);
  // Late duplicates would arrive after the firsts: give them a moment.
  await sleep(2_000);
  await reader.disconnect();
  return decisions;
}
