import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startFakeFcm, startLocalKafka, startLocalMongo, startLocalRedis, type FakeFcm, type LocalKafka } from '@vigil/testkit';
import { startEnrollmentChurn, type EnrollmentChurn } from '../support/enrollment-churn.ts';
import { bundleServices } from '../../tools/build/bundle-services.ts';
import { serviceEnvironment } from '../../tools/stack/service-processes.ts';
import { SERVICES } from '../../tools/stack/services.ts';
import {
  ServiceFleet, call, countOutcomes, decisionCounts, decisionFor, expectedStatus, pushesPerChallenge, settleChallenges, sleep, startSteadyLoad, type SteadyLoad,
} from '../support/steady-load.ts';

// Fault tests (`npm run test:faults`): under a steady load of challenges that phones answer, inject each fault in
// turn: SIGKILL each service, 20 SIGKILLs of verification in a row, a broker restart, Kafka unreachable for 30 s, the
// verification service alone cut off from Kafka for 30 s (Redis still up), Redis stopped for 10 s, and MongoDB stopped
// for 10 s while devices are enrolled, replaced and revoked. Every phone decides by a rule the test knows (approve, deny, approve with a wrong number), with the default
// challenge lifetime (60 s, longer than any recovery), so a challenge that ends in anything but its phone's decision
// — expired included — is lost. For each fault: issued, outcomes, lost (must be 0), decided twice (must be 0), the
// most FCM pushes seen for one challenge (must be 1), FCM-phone challenges never pushed (pushes are at most once: a
// crash mid-send loses that push rather than doubling it; the phone still answers when the app is opened), and the
// recovery time (fault → a new push completes).

const root = resolve(import.meta.dirname, '../..');
const stateDir = mkdtempSync(join(tmpdir(), 'vigil-faults-'));
const redisDir = mkdtempSync(join(tmpdir(), 'vigil-faults-redis-'));
// MongoDB keeps its data across the outage (the H2 backend), as a real one would.
const mongoDir = mkdtempSync(join(tmpdir(), 'vigil-faults-mongo-'));
// u3 and u4 have FCM phones (pushes through firebase-admin and the fake FCM); the others poll.
const USERS = ['u0', 'u1', 'u2', 'u3', 'u4', 'probe'];
const FCM_USERS = ['u3', 'u4'];
let kafka: LocalKafka;
let redis: Awaited<ReturnType<typeof startLocalRedis>>;
let mongo: Awaited<ReturnType<typeof startLocalMongo>>;
let fcm: FakeFcm;
let fleet: ServiceFleet;
let load: SteadyLoad | undefined;

interface FaultReport {
  fault: string;
  issued: number;
  outcomes: Record<string, number>;
  lost: number;
  decidedTwice: number;
  pushesPerChallenge: number;
  unpushed: number;
  recoveryMs: number;
  /** Enrollment changes made during the fault that answered success but do not hold (must be none). */
  enrollment?: { succeeded: Record<string, number>; failedAnswers: number; violations: string[] };
  /** Up to 10 lost challenges with what their phone decided and how they ended, to look into. */
  lostExamples: string[];
}
const windows: { fault: string; from: number; to: number; recoveryMs: number }[] = [];

/** Time until a push created now completes (approved by its phone), retrying while anything is down. */
async function probeUntilAFlowCompletes(steady: SteadyLoad, fault: string): Promise<void> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (Date.now() > deadline) throw new Error(`${fault}: no push completed within 3 minutes of the fault`);
    try {
      const challengeId = steady.issued.record(await call(fleet.url('challenge'), 'POST', '/v1/challenges', 'dev-auth-key', { userId: 'probe' }), 'probe');
      if (challengeId) {
        const result = await call(fleet.url('challenge'), 'GET', `/v1/challenges/${challengeId}?waitSeconds=5`, 'dev-auth-key');
        if (result.body?.['status'] === 'approved') return;
      }
    } catch {
      // Down: a login system would retry.
    }
    await sleep(250);
  }
}

async function fault(steady: SteadyLoad, name: string, inject: () => Promise<void>): Promise<void> {
  const from = Date.now();
  await sleep(2_000);
  const faultAt = Date.now();
  await inject();
  await probeUntilAFlowCompletes(steady, name);
  const recoveryMs = Date.now() - faultAt;
  await sleep(1_000);
  windows.push({ fault: name, from, to: Date.now(), recoveryMs });
}

beforeAll(async () => {
  // The processes run from the bundles the image ships, built from the sources under test.
  await bundleServices();
  [kafka, redis, mongo, fcm] = await Promise.all([
    // A second listener behind a proxy the test can cut: the verification service reaches Kafka through it only.
    startLocalKafka({ proxied: true }), startLocalRedis({ dataDir: redisDir }), startLocalMongo({ dataDir: mongoDir }), startFakeFcm(),
  ]);
  const egress = await fcm.egress();
  const plan = await Promise.all(SERVICES.map(async (service) => {
    const port = await freePort();
    return { name: service.name, port, baseUrl: `http://127.0.0.1:${port}` };
  }));
  fleet = new ServiceFleet(plan, serviceEnvironment({ kafkaBrokers: [kafka.url], redisUrl: redis.url, mongoUrl: mongo.url }, stateDir, plan, {
    ...process.env, LOG_LEVEL: 'error', ...egress.env,
    // One tenant pushes five users on purpose: lift the throttles, keep everything else.
    PUSH_LIMIT_PER_MINUTE: '10000', PUSH_LIMIT_PER_HOUR: '100000', PUSHES_SINCE_SUCCESS: '100000', COOLDOWN_AFTER_MISSES: '100', PUSH_BURST_COUNT: '10000',
    // Denials are a quarter of the load on purpose: they must not read as fatigue and suspend the load's users.
    FATIGUE_MISSES: '10000', DENIAL_STREAK_COUNT: '10000',
  }), { verification: { KAFKA_BROKERS: kafka.proxiedUrl ?? '' } });
  await Promise.all(SERVICES.map((service) => fleet.start(service.name)));
}, 300_000);

afterAll(async () => {
  await load?.stop();
  await fleet?.stopAll();
  await Promise.allSettled([kafka?.stop(), redis?.stop(), mongo?.stop(), fcm?.stop()]);
  rmSync(stateDir, { recursive: true, force: true });
  rmSync(redisDir, { recursive: true, force: true });
  rmSync(mongoDir, { recursive: true, force: true });
});

describe('faults under load', () => {
  it('ends every challenge in its phone\'s decision, once, with one push, through SIGKILLs, broker and Redis outages', async () => {
    // A login system pushes every 50 ms, round robin over five users; 'probe' is the user whose pushes time each
    // recovery (its phone always approves).
    const steady = await startSteadyLoad(fleet, { users: USERS, loadUsers: USERS.filter((user) => user !== 'probe'), readyUser: 'probe', fcmUsers: FCM_USERS, fcm });
    load = steady;
    for (const service of SERVICES) await fault(steady, `SIGKILL ${service.name}`, () => fleet.crash(service.name));
    await fault(steady, '20 SIGKILLs of verification', () => fleet.crashRepeatedly('verification', 20));
    await fault(steady, 'restart Kafka broker', () => kafka.restart());
    await fault(steady, 'Kafka unreachable for 30 s', () => kafka.restart(30_000));
    await fault(steady, 'verification cut off from Kafka 30 s', async () => {
      kafka.cutProxy();
      await sleep(30_000);
      kafka.reconnectProxy();
    });
    // Enrollments, replacements and revocations run through the MongoDB outage; what answered success must hold.
    const churn: EnrollmentChurn = startEnrollmentChurn(fleet, 'churn');
    await fault(steady, 'stop MongoDB for 10 s', async () => {
      // Changes before, during and after the outage: each kind must have answered success for the check to mean much.
      await sleep(5_000);
      await mongo.stop();
      await sleep(10_000);
      mongo = await startLocalMongo({ port: mongo.port, dataDir: mongoDir });
      await sleep(5_000);
    });
    await churn.stop();
    await fault(steady, 'stop Redis for 10 s', async () => {
      await redis.stop();
      await sleep(10_000);
      redis = await startLocalRedis({ port: redis.port, dataDir: redisDir });
    });
    await steady.stopPushing();

    const created = steady.issued.list;
    // Longer than the challenge lifetime: what is still pending then has been lost by the system.
    const status = await settleChallenges(fleet, created.map(({ challengeId }) => challengeId), 90_000);
    await steady.stop();
    const approved = [...status.values()].filter((value) => value === 'approved').length;
    const decided = [...status.values()].filter((value) => value === 'approved' || value === 'denied').length;
    const decisions = await decisionCounts([kafka.url], Math.max(approved, decided));
    const pushes = pushesPerChallenge(fcm);
    const fcmChallenges = new Set(created.filter((entry) => FCM_USERS.includes(entry.userId)).map((entry) => entry.challengeId));

    const enrollment = await churn.check();
    // Where each lost challenge stopped: the verification service's view of it (its own Redis keys, read only here).
    const inspector = new Redis(redis.url);
    const projected = new Map<string, string>();
    for (const entry of created.filter((item) => status.get(item.challengeId) === 'expired')) {
      projected.set(entry.challengeId, (await inspector.hget(`verification:c:${entry.challengeId}`, 's')) ?? 'absent');
    }
    inspector.disconnect();
    const reports: FaultReport[] = windows.map((window) => {
      const mine = created.filter((entry) => entry.at >= window.from && entry.at < window.to);
      const ids = mine.map(({ challengeId }) => challengeId);
      const outcomes = countOutcomes(status, ids);
      const expected = (entry: (typeof mine)[number]) => (entry.userId === 'probe' ? 'approved' : expectedStatus(decisionFor(entry.challengeId)));
      return {
        fault: window.fault,
        issued: ids.length,
        outcomes,
        lost: mine.filter((entry) => status.get(entry.challengeId) !== expected(entry)).length,
        lostExamples: mine.filter((entry) => status.get(entry.challengeId) !== expected(entry)).slice(0, 10)
          .map((entry) => `${entry.userId} ${entry.challengeId} +${entry.at - window.from} ms: expected ${expected(entry)}, ended ${status.get(entry.challengeId)}, pushes ${pushes.get(entry.challengeId) ?? 0}, decisions ${decisions.get(entry.challengeId) ?? 0}, verification saw ${projected.get(entry.challengeId) ?? '-'}`),
        decidedTwice: ids.filter((challengeId) => (decisions.get(challengeId) ?? 0) > 1).length,
        pushesPerChallenge: Math.max(0, ...ids.filter((challengeId) => fcmChallenges.has(challengeId)).map((challengeId) => pushes.get(challengeId) ?? 0)),
        unpushed: ids.filter((challengeId) => fcmChallenges.has(challengeId) && !pushes.has(challengeId)).length,
        recoveryMs: window.recoveryMs,
        ...(window.fault === 'stop MongoDB for 10 s' ? { enrollment } : {}),
      };
    });
    const folder = join(root, '.tmp');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'faults-report.json'), `${JSON.stringify(reports, null, 2)}\n`);
    console.info(['fault report (also .tmp/faults-report.json):', ...reports.map((report) =>
      `  ${report.fault.padEnd(36)} issued ${String(report.issued).padStart(4)}  lost ${report.lost}  decided twice ${report.decidedTwice}  pushes/challenge ${report.pushesPerChallenge}  unpushed ${report.unpushed}  recovery ${(report.recoveryMs / 1000).toFixed(1)} s  ${JSON.stringify(report.outcomes)}${report.enrollment ? `  enrollment ${JSON.stringify(report.enrollment)}` : ''}${report.lostExamples.length ? `\n    lost: ${report.lostExamples.join('\n          ')}` : ''}`)].join('\n'));

    for (const report of reports) {
      expect(report.issued, report.fault).toBeGreaterThan(0);
      expect(report.lost, report.fault).toBe(0);
      expect(report.decidedTwice, report.fault).toBe(0);
      expect(report.pushesPerChallenge, report.fault).toBe(1);
    }
    expect(enrollment.violations).toEqual([]);
    expect(fleet.bugAnswers(), 'requests answered 500 (an outage must answer 503)').toEqual([]);
    for (const op of ['activate', 'replace', 'revoke']) expect(enrollment.succeeded[op] ?? 0, `${op}s that answered success`).toBeGreaterThan(0);
    expect(reports).toHaveLength(SERVICES.length + 6);
  }, 1_200_000);
});
