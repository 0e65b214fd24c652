import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, provideInfra, type Infra } from '@vigil/testkit';
import { serviceEnvironment } from '../../tools/stack/service-processes.ts';
import { SERVICES, type ServiceName } from '../../tools/stack/services.ts';
import { ServiceFleet, countOutcomes, decisionCounts, decisionFor, expectedStatus, settleChallenges, sleep, startSteadyLoad } from '../support/steady-load.ts';

// Crash safety: under a steady stream of pushes that phones decide by a known rule, SIGKILL a service and start it
// again. Every challenge created must end in exactly its phone's decision (an expiry is a loss: the default 60 s
// lifetime outlasts the recovery); none may be decided twice.
// (`npm run test:faults` does the same for every service, the broker and Redis, with a report.)

const stateDir = mkdtempSync(join(tmpdir(), 'vigil-crash-'));
const USERS = ['u0', 'u1', 'u2', 'u3', 'u4'];
let infra: Infra;
let fleet: ServiceFleet;

beforeAll(async () => {
  infra = await provideInfra({ env: {} });
  const plan = await Promise.all(SERVICES.map(async (service) => {
    const port = await freePort();
    return { name: service.name, port, baseUrl: `http://127.0.0.1:${port}` };
  }));
  fleet = new ServiceFleet(plan, serviceEnvironment(infra, stateDir, plan, {
    ...process.env, LOG_LEVEL: 'error',
    // The load here is one tenant hammering five users on purpose: lift the throttles, keep everything else.
    PUSH_LIMIT_PER_MINUTE: '10000', PUSH_LIMIT_PER_HOUR: '100000', PUSHES_SINCE_SUCCESS: '100000', COOLDOWN_AFTER_MISSES: '100',
  }));
  await Promise.all(SERVICES.map((service) => fleet.start(service.name)));
}, 240_000);

afterAll(async () => {
  await fleet?.stopAll();
  await infra?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

describe('crash safety', () => {
  it('loses and doubles nothing when verification and challenge are SIGKILLed mid-flow', async () => {
    const load = await startSteadyLoad(fleet, { users: USERS, loadUsers: USERS, readyUser: 'u0' });
    const recoveries: Partial<Record<ServiceName, number>> = {};
    const crash = async (name: ServiceName) => {
      const killedAt = Date.now();
      await fleet.crash(name);
      recoveries[name] = Date.now() - killedAt;
    };
    await sleep(2_000);
    await crash('verification');
    await sleep(2_000);
    await crash('challenge');
    await sleep(2_000);
    await load.stopPushing();
    const stoppedAt = Date.now();

    const created = load.issued.list.map(({ challengeId }) => challengeId);
    const status = await settleChallenges(fleet, created, 90_000);
    await load.stop();
    const outcomes = countOutcomes(status, created);
    const lost = load.issued.list.filter((entry) => status.get(entry.challengeId) !== (entry.userId === 'u0' ? 'approved' : expectedStatus(decisionFor(entry.challengeId))));
    const decisions = await decisionCounts(infra.kafkaBrokers, (outcomes['approved'] ?? 0) + (outcomes['denied'] ?? 0));

    const decidedTwice = [...decisions.values()].filter((count) => count > 1).length;
    console.info(`crash safety: ${created.length} challenges issued, outcomes ${JSON.stringify(outcomes)}, lost ${lost.length}, decided twice ${decidedTwice}, recovery ms ${JSON.stringify(recoveries)}`);
    expect(created.length).toBeGreaterThan(20);
    expect(lost.map((entry) => `${entry.userId} ${entry.challengeId} ${entry.at - stoppedAt} ms before the end: ${status.get(entry.challengeId)}, phone ${entry.userId === 'u0' ? 'approve' : decisionFor(entry.challengeId)}`)).toEqual([]);
    expect(outcomes['approved'] ?? 0).toBeGreaterThan(0);
    expect(decidedTwice).toBe(0);
    expect(fleet.bugAnswers(), 'requests answered 500 (a crash must answer 503 or not at all)').toEqual([]);
  }, 240_000);
});
