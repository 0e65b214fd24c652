import { describe, expect, it } from 'vitest';
import { createEvent, draft, sourceOf, type EventData } from '@vigil/events';
import { EventsPendingError } from '@vigil/kafka';
import type { SeriesWrite } from '../src/domain/ports.ts';
import type { SeriesEntry } from '../src/domain/series.ts';
import { analyzeEvent } from '../src/use-cases/analyze-event.ts';
import { newAnomalyTestDeps, type AnomalyTestDeps } from './use-case-doubles.ts';

const NOW = Date.parse('2026-12-06T10:00:00.000Z');
const iso = (minutesAgo = 0) => new Date(NOW - minutesAgo * 60_000).toISOString();
const alice = { tenantId: 'acme', userId: 'alice' };
const IP = '203.0.113.7';
const PARIS = { lat: 48.8566, lon: 2.3522 };
const NEW_YORK = { lat: 40.7128, lon: -74.006 };

const challenge = sourceOf('challenge');
const verification = sourceOf('verification');
function created(options: { challengeId?: string; ip?: string; at?: string; quiet?: boolean; location?: { lat: number; lon: number } } = {}) {
  return createEvent('vigil.challenge.created', {
    ...alice, challengeId: options.challengeId ?? 'c-now', deviceId: 'd-1', numberMatch: '428193', numberMatchDigits: 6, createdAt: options.at ?? iso(),
    expiresAt: iso(-1), context: { ip: options.ip ?? IP, ...(options.location ? { location: options.location } : {}) },
    ...(options.quiet ? { delivery: 'quiet' as const, quietReason: 'user_per_minute' as const } : { delivery: 'push' as const }),
  }, { source: challenge });
}
const throttled = () => createEvent('vigil.challenge.throttled', { ...alice, rule: 'ip_per_minute', retryAfterSeconds: 30, context: { ip: IP }, throttledAt: iso() }, { source: challenge });
const decided = <T extends 'vigil.challenge.denied' | 'vigil.challenge.approved' | 'vigil.challenge.reported'>(type: T, extra: Partial<EventData<T>> = {}) =>
  createEvent(type, { ...alice, challengeId: 'c-now', deviceId: 'd-1', decidedAt: iso(), context: { ip: IP }, ...(type === 'vigil.challenge.denied' ? { reason: 'user_denied' } : {}), ...extra } as EventData<T>, { source: verification });
const rejected = () => createEvent('vigil.response.rejected', {
  ...alice, challengeId: null, deviceId: null, reason: 'invalid_signature', sourceIp: IP, rejectedAt: iso(),
}, { source: verification });

/** Earlier events of a series, one a minute, the latest a minute ago. */
const earlier = (count: number, challengeId: (i: number) => string | null = (i) => `c-${i}`): SeriesEntry[] =>
  Array.from({ length: count }, (_, i) => ({ eventId: `e-${i}`, challengeId: challengeId(i), ip: IP, atMs: NOW - (count - i) * 60_000 }));

/** The series as the store answers after adding the event in hand. */
const seriesWith = (before: SeriesEntry[]) => async (write: SeriesWrite) => [...before, write.entry];

function alertsStored(deps: AnomalyTestDeps, alertId = 'a-1') {
  deps.dedup.claim.mockResolvedValue({ alertId, first: true });
  deps.alerts.insert.mockResolvedValue(true);
}

const outage = () => Object.assign(new Error('connection to mongo closed'), { name: 'MongoNetworkError' });

describe('a push', () => {
  it('raises push_burst at the fifth push of the window, reading the pushes once for push_burst and ip_spray', async () => {
    const deps = newAnomalyTestDeps();
    deps.windows.addAndRange.mockImplementation(seriesWith(earlier(4)));
    deps.windows.addAndAround.mockImplementation(async ({ signIn }) => [signIn]);
    alertsStored(deps);
    const event = created();
    const { raised } = await analyzeEvent(deps, { event });
    expect(raised.map(({ alert }) => [alert.rule, alert.status, alert.count])).toEqual([['push_burst', 'open', 5]]);
    expect(deps.windows.addAndRange).toHaveBeenCalledExactlyOnceWith({
      user: alice, series: 'pushes', entry: { eventId: event.id, challengeId: 'c-now', ip: IP, atMs: NOW }, windowMs: 600_000,
    });
    expect(deps.windows.range).not.toHaveBeenCalled();
    expect(deps.alerts.insert).toHaveBeenCalledExactlyOnceWith(raised[0]?.alert, [draft('vigil.fatigue.alert', raised[0]!.alert)]);
  });

  it('reads the pushes over the longer of the push_burst and ip_spray windows', async () => {
    const deps = newAnomalyTestDeps();
    deps.rules = { ...deps.rules, ipSpray: { distinctIps: 3, windowMs: 20 * 60_000 } };
    deps.windows.addAndRange.mockImplementation(seriesWith([]));
    deps.windows.addAndAround.mockResolvedValue([]);
    await analyzeEvent(deps, { event: created() });
    expect(deps.windows.addAndRange.mock.calls[0]?.[0].windowMs).toBe(20 * 60_000);
  });

  it('counts a throttled push as a push and a miss, and never across users', async () => {
    const deps = newAnomalyTestDeps();
    deps.windows.addAndRange.mockImplementation(seriesWith([]));
    deps.windows.add.mockResolvedValue();
    const { raised } = await analyzeEvent(deps, { event: throttled() });
    expect(raised).toEqual([]);
    expect(deps.windows.add).toHaveBeenCalledExactlyOnceWith(expect.objectContaining({ series: 'fatigue', windowMs: 900_000, entry: expect.objectContaining({ challengeId: null }) }));
    expect(deps.windows.addAndAround).not.toHaveBeenCalled();
  });

  it('counts a quiet challenge as a miss before an approval, without reading that window', async () => {
    const deps = newAnomalyTestDeps();
    deps.windows.addAndRange.mockImplementation(seriesWith([]));
    deps.windows.add.mockResolvedValue();
    deps.windows.addAndAround.mockResolvedValue([]);
    await analyzeEvent(deps, { event: created({ quiet: true }) });
    expect(deps.windows.add).toHaveBeenCalledExactlyOnceWith(expect.objectContaining({ series: 'fatigue', entry: expect.objectContaining({ challengeId: 'c-now' }) }));
  });

  it('raises one cross_user_spray alert per address for ten users from it', async () => {
    const deps = newAnomalyTestDeps();
    deps.windows.addAndRange.mockImplementation(seriesWith([]));
    deps.windows.addAndAround.mockImplementation(async ({ signIn }) => [
      ...Array.from({ length: 9 }, (_, i) => ({ userId: `u${i}`, challengeId: `c-${i}`, ip: IP, atMs: NOW - i * 1000 })), signIn,
    ]);
    alertsStored(deps);
    const { raised } = await analyzeEvent(deps, { event: created() });
    expect(raised.map(({ alert }) => [alert.rule, alert.count, alert.sourceIps])).toEqual([['cross_user_spray', 10, [IP]]]);
    expect(deps.dedup.claim).toHaveBeenCalledExactlyOnceWith({ dedupKey: `acme:ip:${IP}:cross_user_spray`, ttlMs: 900_000 });
  });

  it('raises impossible_travel before the location moves on', async () => {
    const deps = newAnomalyTestDeps();
    deps.windows.addAndRange.mockImplementation(seriesWith([]));
    deps.windows.addAndAround.mockResolvedValue([]);
    deps.windows.lastLocation.mockResolvedValue({ ...PARIS, at: NOW - 600_000 });
    deps.windows.setLocation.mockResolvedValue();
    alertsStored(deps);
    const { raised } = await analyzeEvent(deps, { event: created({ location: NEW_YORK }) });
    expect(raised.map(({ alert }) => [alert.rule, alert.windowSeconds])).toEqual([['impossible_travel', 600]]);
    expect(deps.windows.setLocation).toHaveBeenCalledExactlyOnceWith(alice, { ...NEW_YORK, at: NOW });
    expect(deps.alerts.insert.mock.invocationCallOrder[0]).toBeLessThan(deps.windows.setLocation.mock.invocationCallOrder[0]!);
  });
});

describe('misses, approvals, reports and rejections', () => {
  it('counts a denial for fatigue and the denial streak, which it raises at the third', async () => {
    const deps = newAnomalyTestDeps();
    deps.windows.add.mockResolvedValue();
    deps.windows.addAndRange.mockImplementation(seriesWith(earlier(2)));
    alertsStored(deps);
    const { raised } = await analyzeEvent(deps, { event: decided('vigil.challenge.denied') });
    expect(raised.map(({ alert }) => [alert.rule, alert.severity, alert.count])).toEqual([['denial_streak', 'medium', 3]]);
    expect(deps.windows.add).toHaveBeenCalledExactlyOnceWith(expect.objectContaining({ series: 'fatigue' }));
    expect(deps.windows.addAndRange).toHaveBeenCalledExactlyOnceWith(expect.objectContaining({ series: 'misses', windowMs: 600_000 }));
  });

  it('raises fatigue_acceptance for an approval after three misses and announces the suspension with the alert', async () => {
    const deps = newAnomalyTestDeps();
    deps.windows.range.mockResolvedValue(earlier(3));
    alertsStored(deps);
    const { raised } = await analyzeEvent(deps, { event: decided('vigil.challenge.approved') });
    const alert = raised[0]!.alert;
    const until = new Date(NOW + 3_600_000).toISOString();
    expect(alert).toMatchObject({ rule: 'fatigue_acceptance', severity: 'critical', count: 3, mitigation: { action: 'suspend_push', until } });
    expect(deps.windows.range).toHaveBeenCalledExactlyOnceWith({ user: alice, series: 'fatigue', atMs: NOW, windowMs: 900_000 });
    expect(deps.alerts.insert).toHaveBeenCalledExactlyOnceWith(alert, [
      draft('vigil.fatigue.alert', alert),
      draft('vigil.user.push-suspended', { ...alice, until, rule: 'fatigue_acceptance', alertId: 'a-1', suspendedAt: iso() }),
    ]);
  });

  it('does not call an approval after two misses fatigue', async () => {
    const deps = newAnomalyTestDeps();
    // A quiet challenge that then expired is in the window twice.
    deps.windows.range.mockResolvedValue(earlier(3, (i) => (i < 2 ? 'quiet-1' : 'c-2')));
    expect(await analyzeEvent(deps, { event: decided('vigil.challenge.approved') })).toEqual({ raised: [] });
  });

  it('raises fraud_reported for a report and suspends pushes for a day, reading no window', async () => {
    const deps = newAnomalyTestDeps();
    alertsStored(deps);
    const { raised } = await analyzeEvent(deps, { event: decided('vigil.challenge.reported') });
    expect(raised[0]?.alert).toMatchObject({ rule: 'fraud_reported', mitigation: { until: new Date(NOW + 86_400_000).toISOString() } });
  });

  it('raises response_flood at the fifth rejected response', async () => {
    const deps = newAnomalyTestDeps();
    deps.windows.addAndRange.mockImplementation(seriesWith(earlier(4, () => null)));
    alertsStored(deps);
    const { raised } = await analyzeEvent(deps, { event: rejected() });
    expect(raised.map(({ alert }) => [alert.rule, alert.count])).toEqual([['response_flood', 5]]);
    expect(deps.windows.addAndRange).toHaveBeenCalledExactlyOnceWith(expect.objectContaining({ series: 'rejections', entry: expect.objectContaining({ ip: IP, challengeId: null }) }));
  });

  it('ignores events no rule reads', async () => {
    const deps = newAnomalyTestDeps();
    const cancelled = createEvent('vigil.challenge.cancelled', { ...alice, challengeId: 'c-1', cancelledAt: iso() }, { source: challenge });
    expect(await analyzeEvent(deps, { event: cancelled })).toEqual({ raised: [] });
  });
});

describe('when a dependency fails', () => {
  it('fails the event when the alert store is down after the window write, and its retry adds the same entry and raises', async () => {
    const deps = newAnomalyTestDeps();
    deps.windows.addAndRange.mockImplementation(seriesWith(earlier(4)));
    deps.windows.addAndAround.mockResolvedValue([]);
    deps.dedup.claim.mockResolvedValue({ alertId: 'a-1', first: true });
    const down = outage();
    deps.alerts.insert.mockRejectedValueOnce(down);
    const event = created();
    await expect(analyzeEvent(deps, { event })).rejects.toBe(down);
    // Nothing after the failed rule ran: the retry runs every rule of the event again.
    expect(deps.windows.addAndAround).not.toHaveBeenCalled();

    // The claim stays in Redis: the retry finds no alert under it and opens it.
    deps.dedup.claim.mockResolvedValue({ alertId: 'a-1', first: false });
    deps.alerts.find.mockResolvedValue(null);
    deps.alerts.insert.mockResolvedValue(true);
    const { raised } = await analyzeEvent(deps, { event });
    expect(raised.map(({ alert }) => [alert.alertId, alert.status, alert.count])).toEqual([['a-1', 'open', 5]]);
    const [first, retry] = deps.windows.addAndRange.mock.calls.map(([write]) => write.entry);
    expect(retry).toEqual(first);
  });

  it('completes the event when the alert is stored but Kafka has not acknowledged its events: the outbox relay publishes them', async () => {
    const deps = newAnomalyTestDeps();
    deps.windows.addAndRange.mockImplementation(seriesWith([]));
    deps.windows.addAndAround.mockResolvedValue([]);
    deps.windows.lastLocation.mockResolvedValue({ ...PARIS, at: NOW - 600_000 });
    deps.windows.setLocation.mockResolvedValue();
    deps.dedup.claim.mockResolvedValue({ alertId: 'a-1', first: true });
    deps.alerts.insert.mockRejectedValue(new EventsPendingError(new Error('broker down')));
    const { raised } = await analyzeEvent(deps, { event: created({ location: NEW_YORK }) });
    expect(raised.map(({ alert, delivered }) => [alert.rule, delivered])).toEqual([['impossible_travel', false]]);
    expect(deps.windows.setLocation).toHaveBeenCalledOnce();
  });

  it('keeps the previous location when the impossible_travel alert cannot be stored, so the retry compares the same two places', async () => {
    const deps = newAnomalyTestDeps();
    deps.windows.addAndRange.mockImplementation(seriesWith([]));
    deps.windows.addAndAround.mockResolvedValue([]);
    deps.windows.lastLocation.mockResolvedValue({ ...PARIS, at: NOW - 600_000 });
    deps.dedup.claim.mockResolvedValue({ alertId: 'a-1', first: true });
    deps.alerts.insert.mockRejectedValue(outage());
    await expect(analyzeEvent(deps, { event: created({ location: NEW_YORK }) })).rejects.toThrow('connection to mongo closed');
    expect(deps.windows.setLocation).not.toHaveBeenCalled();
  });

  it('writes no alert when the dedup store is down', async () => {
    const deps = newAnomalyTestDeps();
    deps.windows.range.mockResolvedValue(earlier(3));
    const down = Object.assign(new Error('Connection is closed.'), { name: 'Error' });
    deps.dedup.claim.mockRejectedValue(down);
    await expect(analyzeEvent(deps, { event: decided('vigil.challenge.approved') })).rejects.toBe(down);
    expect(deps.alerts.insert).not.toHaveBeenCalled();
  });
});
