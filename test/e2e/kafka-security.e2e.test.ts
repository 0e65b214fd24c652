import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VigilDevice, type SignedPayload } from '@vigil/device-sdk';
import { createEvent, sourceOf } from '@vigil/events';
import { EventProducer, SERVICES_WITH_KAFKA, accessPlan, applyAccessPlan, createKafka, ensureTopics, type Kafka } from '@vigil/kafka';
import { createLogger } from '@vigil/logger';
import { freePort, startLocalKafka, startLocalMongo, startLocalRedis, type LocalKafka } from '@vigil/testkit';
import { serviceEnvironment } from '../../tools/stack/service-processes.ts';
import { SERVICES } from '../../tools/stack/services.ts';
import { ServiceFleet, call } from '../support/steady-load.ts';

// CONTRACT §8 (v2): on a broker that authenticates every client (SASL/SCRAM over TLS) and authorizes by ACLs, the five
// services, each with its own principal and only the grants of libs/kafka's access plan, run the whole push flow; and
// a principal is refused what its plan does not grant (the challenge service writing a verification decision).

const log = createLogger({ name: 'kafka-security-test', level: 'silent' });
const stateDir = mkdtempSync(join(tmpdir(), 'vigil-secure-'));
const passwords = Object.fromEntries(SERVICES_WITH_KAFKA.map((service) => [`vigil-${service}`, randomBytes(18).toString('base64url')]));
let kafka: LocalKafka;
let stops: (() => Promise<unknown>)[] = [];
let fleet: ServiceFleet;

const client = (username: string, password: string, clientId = username): Kafka => createKafka({
  brokers: [kafka.url], clientId, log,
  config: { ssl: { ca: [readFileSync(kafka.secure?.caFile ?? '', 'utf8')] }, sasl: { mechanism: 'scram-sha-512', username, password }, retry: { retries: 1, initialRetryTime: 100 } },
});

beforeAll(async () => {
  const [secureKafka, redis, mongo] = await Promise.all([startLocalKafka({ secure: { users: passwords } }), startLocalRedis(), startLocalMongo()]);
  kafka = secureKafka;
  stops = [() => kafka.stop(), () => redis.stop(), () => mongo.stop()];
  // The operator's part: topics and ACLs, as the admin principal.
  const admin = client('admin', kafka.secure?.adminPassword ?? '');
  await ensureTopics(admin, { partitions: 3, replicationFactor: 1 });
  await applyAccessPlan(admin, accessPlan());
  const plan = await Promise.all(SERVICES.map(async (service) => {
    const port = await freePort();
    return { name: service.name, port, baseUrl: `http://127.0.0.1:${port}` };
  }));
  const base = serviceEnvironment({ kafkaBrokers: [kafka.url], redisUrl: redis.url, mongoUrl: mongo.url }, stateDir, plan, {
    ...process.env, LOG_LEVEL: 'error', KAFKA_TOPIC_PARTITIONS: '3',
    KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: kafka.secure?.caFile ?? '', KAFKA_SASL_MECHANISM: 'scram-sha-512',
  });
  // Each service its own principal.
  fleet = new ServiceFleet(plan, base, Object.fromEntries(SERVICES.map((service) => [service.name, {
    KAFKA_SASL_USERNAME: `vigil-${service.name}`, KAFKA_SASL_PASSWORD: passwords[`vigil-${service.name}`] ?? '',
  }])));
  await Promise.all(SERVICES.map((service) => fleet.start(service.name)));
}, 300_000);

afterAll(async () => {
  await fleet?.stopAll();
  await Promise.allSettled(stops.map((stop) => stop()));
  rmSync(stateDir, { recursive: true, force: true });
});

describe('Kafka with SASL_SSL and per-service ACLs (CONTRACT §8)', () => {
  it('runs the whole push flow with each service on its own principal', async () => {
    const started = await call(fleet.url('enrollment'), 'POST', '/v1/users/sam/push-enrollments', 'dev-admin-key', {});
    expect(started.status).toBe(201);
    const phone = await VigilDevice.activate(String(started.body?.['activationUri']), { platform: 'android', pushToken: null });
    const created = await call(fleet.url('challenge'), 'POST', '/v1/challenges', 'dev-auth-key', { userId: 'sam', context: { ip: '198.51.100.20' } });
    expect(created.status).toBe(201);
    const pending = await phone.request<{ challenges: SignedPayload[] }>(fleet.url('verification'), 'GET', '/v1/device/challenges/pending?waitSeconds=10');
    expect(pending.body.challenges).toHaveLength(1);
    const answer = await phone.request(fleet.url('verification'), 'POST', `/v1/device/challenges/${created.body?.['challengeId']}/response`, { decision: 'approve', numberMatch: created.body?.['numberMatch'] });
    expect(answer.status).toBe(200);
    const result = await call(fleet.url('challenge'), 'GET', `/v1/challenges/${created.body?.['challengeId']}?waitSeconds=10`, 'dev-auth-key');
    expect(result.body).toMatchObject({ status: 'approved' });
  });

  it('refuses the challenge service\'s principal when it writes a verification decision, and a wrong password', async () => {
    const producer = new EventProducer(client('vigil-challenge', passwords['vigil-challenge'] ?? ''));
    await producer.connect();
    try {
      const forged = createEvent('vigil.challenge.approved', {
        tenantId: 'acme', userId: 'sam', challengeId: 'c-forged', deviceId: 'd-forged', decidedAt: new Date().toISOString(), context: {},
      }, { source: sourceOf('verification') });
      // vigil.verifications.v1 is verification's alone: the broker refuses the write.
      await expect(producer.publish(forged)).rejects.toThrow(/authoriz/i);
    } finally {
      await producer.disconnect();
    }
    const intruder = client('vigil-challenge', 'not-the-password').admin();
    await expect(intruder.connect()).rejects.toThrow(/SASL|authentication/i);
  });
});
