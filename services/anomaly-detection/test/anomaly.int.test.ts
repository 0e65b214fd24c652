import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@vigil/config';
import { OCSF_DETECTION_FINDING, TOPICS, createEvent, decodeEvent, type VigilEvent } from '@vigil/events';
import { createMetricsRegistry, parseApiKeys, staticApiKeys } from '@vigil/http';
import { EventProducer, createKafka, ensureTopics } from '@vigil/kafka';
import { createLogger } from '@vigil/logger';
import { freePort, loadOcsfSchema, ocsfProblems, waitFor } from '@vigil/testkit';
import { testInfra } from '@vigil/testkit/vitest';
import { assembleAnomalyDetection } from '../src/assemble.ts';
import { serviceSpec } from '../src/config.ts';

const infra = testInfra();
const tenant = `t${randomUUID().slice(0, 8)}`;
const SOC = `soc-${randomUUID()}`;
const ADMIN = `admin-${randomUUID()}`;
const log = createLogger({ name: 'anomaly-test', level: 'silent' });
const redis = new Redis(infra.redisUrl);
const mongo = mongoose.createConnection(infra.mongoUrl.replace('/vigil?', `/anomaly-${tenant}?`));
const kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: 'anomaly-test', log });
const producer = new EventProducer(kafka);
const seen: VigilEvent[] = [];
const reader = kafka.consumer({ groupId: `anomaly-events-${tenant}` });
const urls: string[] = [];
const stops: (() => Promise<void>)[] = [];
const published: VigilEvent[] = [];

type Alert = { alertId: string; userId: string; rule: string; severity: string; status: string; count: number; mitigation: { until: string } | null; ocsf: Record<string, unknown>; sourceIps: string[]; challengeIds: string[] };
const alerts = (userId?: string, rule?: string) => seen
  .filter((event) => event.type === 'vigil.fatigue.alert')
  .map((event) => event.data as unknown as Alert)
  .filter((alert) => (!userId || alert.userId === userId) && (!rule || alert.rule === rule));
const riskEvents = (userId: string) => seen.filter((event) => event.type.startsWith('vigil.user.') && (event.data as { userId: string }).userId === userId);

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
const context = (ip = '203.0.113.50', location?: { lat: number; lon: number }) => ({ ip, application: 'vpn', ...(location ? { location } : {}) });

async function publish(...events: VigilEvent[]) {
  published.push(...events);
  await producer.publish(...events);
}
const created = (userId: string, options: { ip?: string; at?: string; location?: { lat: number; lon: number }; quiet?: boolean; challengeId?: string } = {}) => createEvent('vigil.challenge.created', {
  tenantId: tenant, userId, challengeId: options.challengeId ?? randomUUID(), deviceId: 'd-1', numberMatch: '428193', numberMatchDigits: 6,
  createdAt: options.at ?? new Date().toISOString(), expiresAt: new Date(Date.now() + 60_000).toISOString(), context: context(options.ip, options.location),
  ...(options.quiet ? { delivery: 'quiet' as const, quietReason: 'user_per_minute' as const } : { delivery: 'push' as const }),
}, { source: 'urn:vigil:challenge' });
const expired = (userId: string, challengeId: string, at: string) => createEvent('vigil.challenge.expired', {
  tenantId: tenant, userId, challengeId, deviceId: 'd-1', expiredAt: at, context: context(),
}, { source: 'urn:vigil:challenge' });
const decided = (type: 'vigil.challenge.denied' | 'vigil.challenge.approved' | 'vigil.challenge.reported', userId: string, at = new Date().toISOString()) => {
  const base = { tenantId: tenant, userId, challengeId: randomUUID(), deviceId: 'd-1', decidedAt: at, context: context() };
  return type === 'vigil.challenge.denied'
    ? createEvent(type, { ...base, reason: 'user_denied' }, { source: 'urn:vigil:verification' })
    : createEvent(type, base, { source: 'urn:vigil:verification' });
};

async function startInstance() {
  const port = await freePort();
  const service = await assembleAnomalyDetection({
    config: loadConfig(serviceSpec, { ANOMALY_PORT: String(port) }), redis, mongo, kafka, producer, log, readiness: [],
    metrics: createMetricsRegistry('anomaly-detection'), apiKeys: staticApiKeys(parseApiKeys(`${tenant}:soc:${SOC},${tenant}:admin:${ADMIN}`)),
    groupId: `anomaly-${tenant}`,
  });
  const running = await service.start();
  await service.app.listen({ port, host: '127.0.0.1' });
  urls.push(`http://127.0.0.1:${port}`);
  stops.push(async () => { await service.app.close(); await running.stop(); });
}

async function api(method: string, path: string, key = SOC, instance = 0) {
  const response = await fetch(`${urls[instance]}${path}`, { method, headers: { authorization: `Bearer ${key}` } });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as { alerts: Alert[]; code?: string } };
}

beforeAll(async () => {
  await mongo.asPromise();
  await ensureTopics(kafka, { partitions: 3, replicationFactor: 1 });
  await producer.connect();
  await reader.connect();
  await reader.subscribe({ topics: [TOPICS.fatigueAlerts, TOPICS.userRisk], fromBeginning: true });
  await reader.run({ eachMessage: async ({ message }) => {
    const decoded = message.value && decodeEvent(message.value);
    if (decoded && decoded.ok && (decoded.event.data as { tenantId: string }).tenantId === tenant) seen.push(decoded.event);
  } });
  // Two instances in one consumer group: they split the work and must not double any alert.
  await startInstance();
  await startInstance();
  // Both instances joined and consuming before any test publishes: in a full parallel run, other files' events on the
  // shared topics can hold the first alerts back for many seconds. (Events published during the second join's
  // rebalance are no longer skipped: the group's offsets are fixed at its first start, libs/kafka group-start.ts.)
  await producer.publish(...Array.from({ length: 5 }, (_, i) => created('warmup', { ip: '198.51.100.250', at: minutesAgo(5 - i) })));
  await waitFor(() => alerts('warmup', 'push_burst').length > 0, { timeoutMs: 120_000, what: 'the warm-up alert' });
});

afterAll(async () => {
  await Promise.allSettled(stops.map((stop) => stop()));
  await reader.disconnect();
  await producer.disconnect();
  await mongo.close();
  redis.disconnect();
});

describe('push bombing', () => {
  it('opens a high push_burst alert at the fifth push and updates it with the sixth', async () => {
    const pushes = Array.from({ length: 6 }, (_, i) => created('alice', { at: minutesAgo(6 - i) }));
    await publish(...pushes.slice(0, 5));
    const [opened] = await waitFor(() => alerts('alice', 'push_burst').length >= 1 && alerts('alice', 'push_burst'), { what: 'push_burst' });
    expect(opened).toMatchObject({ severity: 'high', status: 'open', count: 5, sourceIps: ['203.0.113.50'], mitigation: null, windowSeconds: 600 });
    // The first counted push, not the moment the rule fired.
    expect((opened as unknown as { firstSeenAt: string }).firstSeenAt).toBe((pushes[0] as VigilEvent & { data: { createdAt: string } }).data.createdAt);
    expect(opened?.challengeIds).toHaveLength(5);
    await publish(pushes[5] as VigilEvent);
    const updated = await waitFor(() => alerts('alice', 'push_burst').find((alert) => alert.status === 'updated'), { what: 'the update' });
    expect(updated).toMatchObject({ alertId: opened?.alertId, count: 6 });
    expect(updated.ocsf).toMatchObject({ class_uid: OCSF_DETECTION_FINDING.classUid, category_uid: 2, activity_id: 2, type_uid: 200402, severity_id: 4, finding_info: { uid: opened?.alertId } });
    expect(opened?.ocsf).toMatchObject({ activity_id: 1, type_uid: 200401, metadata: { product: { name: 'Vigil', vendor_name: 'Vigil' }, version: expect.any(String) }, time: expect.any(Number) });
  });

  it('counts throttled pushes too', async () => {
    const throttled = Array.from({ length: 5 }, () => createEvent('vigil.challenge.throttled', {
      tenantId: tenant, userId: 'amy', rule: 'ip_per_minute', retryAfterSeconds: 30, context: context(), throttledAt: new Date().toISOString(),
    }, { source: 'urn:vigil:challenge' }));
    await publish(...throttled);
    await waitFor(() => alerts('amy', 'push_burst').length === 1, { what: 'push_burst from throttled pushes' });
  });

  it('opens a medium denial_streak alert after 3 denials in 10 minutes', async () => {
    await publish(decided('vigil.challenge.denied', 'bill', minutesAgo(3)), decided('vigil.challenge.denied', 'bill', minutesAgo(2)), decided('vigil.challenge.denied', 'bill', minutesAgo(1)));
    const [alert] = await waitFor(() => alerts('bill', 'denial_streak').length === 1 && alerts('bill', 'denial_streak'), { what: 'denial_streak' });
    expect(alert).toMatchObject({ severity: 'medium', count: 3 });
  });
});

describe('fatigue and fraud', () => {
  it('raises a critical fatigue_acceptance alert and suspends push for 60 minutes', async () => {
    await publish(decided('vigil.challenge.denied', 'cara', minutesAgo(9)), decided('vigil.challenge.denied', 'cara', minutesAgo(6)), decided('vigil.challenge.denied', 'cara', minutesAgo(3)));
    await publish(decided('vigil.challenge.approved', 'cara'));
    const [alert] = await waitFor(() => alerts('cara', 'fatigue_acceptance').length === 1 && alerts('cara', 'fatigue_acceptance'), { what: 'fatigue_acceptance' });
    expect(alert).toMatchObject({ severity: 'critical', count: 3 });
    const [suspension] = await waitFor(() => riskEvents('cara').length > 0 && riskEvents('cara'), { what: 'the suspension' });
    expect(suspension?.type).toBe('vigil.user.push-suspended');
    const minutes = (Date.parse((suspension?.data as { until: string }).until) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(58);
    expect(minutes).toBeLessThanOrEqual(60);
    expect(alert?.mitigation?.until).toBe((suspension?.data as { until: string }).until);
  });

  it('counts quiet challenges before an approval as fatigue, once each even when they then expire', async () => {
    // Creations and decisions travel on different topics: like a real approval, this one comes after the challenges
    // were seen (the service's fatigue window holds them).
    const seenQuiet = (userId: string, count: number) => waitFor(async () => (await redis.zcard(`anomaly:fatigue:{${tenant}:${userId}}`)) >= count, { what: `${count} quiet challenges of ${userId}` });
    await publish(created('quinn', { quiet: true, at: minutesAgo(6) }), created('quinn', { quiet: true, at: minutesAgo(4) }), created('quinn', { quiet: true, at: minutesAgo(2) }));
    await seenQuiet('quinn', 3);
    await publish(decided('vigil.challenge.approved', 'quinn'));
    const [alert] = await waitFor(() => alerts('quinn', 'fatigue_acceptance').length === 1 && alerts('quinn', 'fatigue_acceptance'), { what: 'fatigue_acceptance after quiet challenges' });
    expect(alert).toMatchObject({ severity: 'critical', count: 3 });

    const [first, second] = [randomUUID(), randomUUID()];
    await publish(created('rosa', { quiet: true, at: minutesAgo(6), challengeId: first }), expired('rosa', first, minutesAgo(5)));
    await publish(created('rosa', { quiet: true, at: minutesAgo(4), challengeId: second }), expired('rosa', second, minutesAgo(3)));
    await seenQuiet('rosa', 4);
    await publish(decided('vigil.challenge.approved', 'rosa'), created('zed-marker-2'));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(alerts('rosa', 'fatigue_acceptance')).toEqual([]);
  });

  it('does not call a lone approval fatigue', async () => {
    await publish(decided('vigil.challenge.denied', 'dan'), decided('vigil.challenge.approved', 'dan'), created('zed-marker'));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(alerts('dan')).toEqual([]);
  });

  it('raises fraud_reported and suspends push for 24 hours', async () => {
    await publish(decided('vigil.challenge.reported', 'eve'));
    await waitFor(() => alerts('eve', 'fraud_reported').length === 1, { what: 'fraud_reported' });
    const suspension = await waitFor(() => riskEvents('eve')[0], { what: 'the suspension' });
    expect((Date.parse((suspension.data as { until: string }).until) - Date.now()) / 3_600_000).toBeGreaterThan(23.9);
  });
});

describe('spread of sources', () => {
  it('raises ip_spray for 3 source IPs in 10 minutes', async () => {
    await publish(created('finn', { ip: '198.51.100.1' }), created('finn', { ip: '198.51.100.2' }), created('finn', { ip: '198.51.100.3' }));
    const alert = await waitFor(() => alerts('finn', 'ip_spray')[0], { what: 'ip_spray' });
    expect(alert.sourceIps.sort()).toEqual(['198.51.100.1', '198.51.100.2', '198.51.100.3']);
  });

  it('counts the source addresses of throttled pushes in ip_spray', async () => {
    await publish(created('fred', { ip: '198.51.100.11' }), created('fred', { ip: '198.51.100.12' }), created('fred', { ip: '198.51.100.13' }));
    await waitFor(() => alerts('fred', 'ip_spray')[0], { what: 'ip_spray' });
    await publish(createEvent('vigil.challenge.throttled', {
      tenantId: tenant, userId: 'fred', rule: 'ip_per_minute', retryAfterSeconds: 30, context: context('198.51.100.14'), throttledAt: new Date().toISOString(),
    }, { source: 'urn:vigil:challenge' }));
    const updated = await waitFor(() => alerts('fred', 'ip_spray').find((alert) => alert.sourceIps.includes('198.51.100.14')), { what: 'the throttled push\'s address' });
    expect(updated.sourceIps.sort()).toEqual(['198.51.100.11', '198.51.100.12', '198.51.100.13', '198.51.100.14']);
    expect(updated.count).toBe(4);
  });

  it('raises impossible_travel from Paris to New York in 10 minutes', async () => {
    await publish(created('gail', { at: minutesAgo(10), location: { lat: 48.8566, lon: 2.3522 } }));
    await publish(created('gail', { location: { lat: 40.7128, lon: -74.006 } }));
    const [travel] = await waitFor(() => alerts('gail', 'impossible_travel').length === 1 && alerts('gail', 'impossible_travel'), { what: 'impossible_travel' });
    // The rule's window is the time between the two sign-ins it compares.
    expect((travel as unknown as { windowSeconds: number }).windowSeconds).toBeGreaterThanOrEqual(599);
    expect((travel as unknown as { windowSeconds: number }).windowSeconds).toBeLessThanOrEqual(601);
  });

  it('raises one cross_user_spray alert for one IP pushing 10 users', async () => {
    const ip = '192.0.2.77';
    await publish(...Array.from({ length: 10 }, (_, i) => created(`spray-${i}`, { ip })));
    await waitFor(() => alerts(undefined, 'cross_user_spray').length >= 1, { what: 'cross_user_spray' });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(alerts(undefined, 'cross_user_spray').filter((alert) => alert.status === 'open')).toHaveLength(1);
  });

  it('raises cross_user_spray when the users\' pushes arrive newest first', async () => {
    // Different users' events travel on different partitions: the earliest can be the last to be analysed.
    const ip = '192.0.2.78';
    await publish(...Array.from({ length: 10 }, (_, i) => created(`late-${i}`, { ip, at: minutesAgo(i / 2) })));
    const alert = await waitFor(() => alerts(undefined, 'cross_user_spray').find((item) => item.sourceIps.includes(ip)), { what: 'cross_user_spray' });
    await waitFor(() => alerts(undefined, 'cross_user_spray').some((item) => item.sourceIps.includes(ip) && item.count === 10), { what: 'all ten users' });
    expect(alert.status).toBe('open');
  });

  it('raises response_flood for 5 rejected responses', async () => {
    await publish(...Array.from({ length: 5 }, () => createEvent('vigil.response.rejected', {
      tenantId: tenant, userId: 'hugo', challengeId: null, deviceId: null, reason: 'invalid_signature', sourceIp: '203.0.113.66', rejectedAt: new Date().toISOString(),
    }, { source: 'urn:vigil:verification' })));
    await waitFor(() => alerts('hugo', 'response_flood').length === 1, { what: 'response_flood' });
  });
});

describe('API, idempotence and instances', () => {
  it('serves alerts newest first, filtered by user and time, to the soc scope only', async () => {
    await waitFor(() => alerts('alice', 'push_burst').some((alert) => alert.status === 'updated'), { what: 'alice\'s alerts' });
    const all = await api('GET', '/v1/alerts?limit=500');
    expect(all.status).toBe(200);
    const times = all.body.alerts.map((alert) => (alert as unknown as { lastSeenAt: string }).lastSeenAt);
    expect([...times].sort().reverse()).toEqual(times);
    const alice = await api('GET', '/v1/alerts?userId=alice', SOC, 1);
    expect(alice.body.alerts.map((alert) => alert.rule)).toEqual(['push_burst']);
    expect(alice.body.alerts[0]).toMatchObject({ status: 'updated', count: 6 });
    expect((await api('GET', `/v1/alerts?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).body.alerts).toEqual([]);
    expect((await api('GET', '/v1/alerts', ADMIN)).status).toBe(403);
    expect((await api('GET', '/v1/alerts?limit=0')).status).toBe(400);
    expect((await api('GET', '/v1/alerts?since=yesterday')).status).toBe(400);
  });

  it('lifts a suspension with push-restored', async () => {
    expect((await api('DELETE', '/v1/users/cara/push-suspension', ADMIN)).status).toBe(204);
    await waitFor(() => riskEvents('cara').some((event) => event.type === 'vigil.user.push-restored'), { what: 'push-restored' });
    expect((await api('DELETE', '/v1/users/cara/push-suspension', SOC)).status).toBe(403);
  });

  it('raises nothing new when the same events are replayed, and never doubles an alert across instances', async () => {
    // Alerts of earlier tests may still be on their way (cross_user_spray updates): count once the topic is quiet.
    const alertCount = () => seen.filter((event) => event.type === 'vigil.fatigue.alert').length;
    let last = -1;
    await waitFor(() => { const now = alertCount(); const quiet = now === last; last = now; return quiet; }, { intervalMs: 1_000, what: 'quiet alerts' });
    const before = alertCount();
    await producer.publish(...published);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(seen.filter((event) => event.type === 'vigil.fatigue.alert').length).toBe(before);
    const opened = alerts().filter((alert) => alert.status === 'open').map((alert) => `${alert.userId}:${alert.rule}`);
    const keys = alerts(undefined, 'cross_user_spray').length > 0 ? opened.filter((key) => !key.endsWith('cross_user_spray')) : opened;
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('OCSF', () => {
  it('emits only findings that conform to the compiled OCSF 1.3.0 schema, whatever rule raised them', async () => {
    const schema = loadOcsfSchema();
    const findings = alerts().map((alert) => alert.ocsf);
    expect(new Set(alerts().map((alert) => alert.rule)).size).toBeGreaterThanOrEqual(7);
    for (const finding of findings) expect(ocsfProblems(schema, finding), JSON.stringify(finding).slice(0, 200)).toEqual([]);
  });
});
