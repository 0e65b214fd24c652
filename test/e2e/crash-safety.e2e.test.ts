import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, provideInfra, type Infra } from '@vigil/testkit';
import { serviceEnvironment } from '../../tools/stack/service-processes.ts';
import { SERVICES, type ServiceName } from '../../tools/stack/services.ts';
import { ServiceFleet, countOutcomes, decisionCounts, settleChallenges, sleep, startSteadyLoad } from '../support/steady-load.ts';

// Crash safety (issue #8): under a steady stream of pushes that devices answer, SIGKILL a service and start it again.
// Every challenge created must reach a terminal state the login system can read; none may be decided twice.
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
    ...process.env, LOG_LEVEL: 'error', CHALLENGE_TTL_SECONDS: '8',
    // The load here is one tenant hammering five users on purpose: lift the throttles, keep everything else.
    PUSH_LIMIT_PER_MINUTE: '10000', PUSH_LIMIT_PER_HOUR: '100000', COOLDOWN_AFTER_MISSES: '100',
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
    await load.stop();

    const created = load.issued.list.map(({ challengeId }) => challengeId);
    const outcomes = countOutcomes(await settleChallenges(fleet, created, 40_000), created);
    const decisions = await decisionCounts(infra.kafkaBrokers, outcomes['approved'] ?? 0);

    const decidedTwice = [...decisions.values()].filter((count) => count > 1).length;
    console.info(`crash safety: ${created.length} challenges issued, outcomes ${JSON.stringify(outcomes)}, decided twice ${decidedTwice}, recovery ms ${JSON.stringify(recoveries)}`);
    expect(created.length).toBeGreaterThan(20);
    expect(outcomes['pending'] ?? 0).toBe(0);
    expect(outcomes['unreadable'] ?? 0).toBe(0);
    expect(outcomes['approved'] ?? 0).toBeGreaterThan(0);
    expect(decidedTwice).toBe(0);
  }, 180_000);
});
