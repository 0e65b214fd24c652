import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../src/config.ts';
import {
  crossUserSpray, denialStreak, fatigueAcceptance, fraudReported, impossibleTravel, ipSpray, pushBurst, responseFlood, seriesWindowMs,
} from '../src/domain/detections.ts';
import type { IpSignIn, SeriesEntry } from '../src/domain/series.ts';

const NOW = Date.parse('2026-12-06T10:00:00.000Z');
const at = new Date(NOW);
const alice = { tenantId: 'acme', userId: 'alice' };
const rules = DEFAULT_RULES;
let sequence = 0;

/** An event of alice's series `minutesAgo` before NOW, with its own challenge unless told otherwise. */
function entry(minutesAgo: number, overrides: Partial<SeriesEntry> = {}): SeriesEntry {
  sequence += 1;
  return { eventId: `e-${sequence}`, challengeId: `c-${sequence}`, ip: '203.0.113.7', atMs: NOW - minutesAgo * 60_000, ...overrides };
}
const entries = (count: number, overrides: Partial<SeriesEntry> = {}) => Array.from({ length: count }, (_, i) => entry(count - 1 - i, overrides));

describe('push_burst', () => {
  it('raises at the fifth push of ten minutes and not at the fourth', () => {
    expect(pushBurst({ user: alice, at, pushes: entries(4), rules })).toBeNull();
    expect(pushBurst({ user: alice, at, pushes: entries(5), rules })).toMatchObject({
      rule: 'push_burst', count: 5, windowMs: 600_000, mitigation: null, dedupKey: 'acme:alice:push_burst', tenantId: 'acme', userId: 'alice',
    });
  });

  it('reports the first counted push, every challenge and every address', () => {
    const pushes = [entry(4, { ip: '198.51.100.1' }), entry(3, { ip: null }), entry(2), entry(1), entry(0, { challengeId: null })];
    const found = pushBurst({ user: alice, at, pushes, rules });
    expect(found?.firstSeenAt).toEqual(new Date(NOW - 4 * 60_000));
    expect(found?.challengeIds).toHaveLength(4);
    expect(found?.sourceIps).toEqual(['198.51.100.1', '203.0.113.7']);
  });

  it('counts only its own window of a longer pushes window', () => {
    // The pushes series is read once over the longest window that reads it: 20 minutes for ip_spray here.
    const settings = { ...rules, pushBurst: { count: 5, windowMs: 5 * 60_000 }, ipSpray: { distinctIps: 3, windowMs: 20 * 60_000 } };
    expect(seriesWindowMs(settings).pushes).toBe(20 * 60_000);
    const pushes = [entry(15), entry(10), entry(4), entry(3), entry(2), entry(1)];
    expect(pushBurst({ user: alice, at, pushes, rules: settings })).toBeNull();
    expect(pushBurst({ user: alice, at, pushes: [...pushes, entry(0)], rules: settings })?.count).toBe(5);
  });

  it('leaves out a push exactly one window old', () => {
    expect(pushBurst({ user: alice, at, pushes: [entry(10), ...entries(4)], rules })).toBeNull();
  });
});

describe('ip_spray', () => {
  it('raises for three distinct addresses and counts addresses, not pushes', () => {
    const two = [entry(3, { ip: '198.51.100.1' }), entry(2, { ip: '198.51.100.2' }), entry(1, { ip: '198.51.100.2' }), entry(0, { ip: null })];
    expect(ipSpray({ user: alice, at, pushes: two, rules })).toBeNull();
    const found = ipSpray({ user: alice, at, pushes: [...two, entry(0, { ip: '198.51.100.3', challengeId: null })], rules });
    expect(found).toMatchObject({ rule: 'ip_spray', count: 3, sourceIps: ['198.51.100.1', '198.51.100.2', '198.51.100.3'], dedupKey: 'acme:alice:ip_spray' });
  });
});

describe('denial_streak and response_flood', () => {
  it('raises a denial streak at the third miss of ten minutes', () => {
    expect(denialStreak({ user: alice, at, misses: entries(2), rules })).toBeNull();
    expect(denialStreak({ user: alice, at, misses: entries(3), rules })).toMatchObject({ rule: 'denial_streak', count: 3, mitigation: null });
  });

  it('raises a response flood at the fifth rejected response', () => {
    expect(responseFlood({ user: alice, at, rejections: entries(4, { challengeId: null }), rules })).toBeNull();
    expect(responseFlood({ user: alice, at, rejections: entries(5, { challengeId: null }), rules })).toMatchObject({ rule: 'response_flood', count: 5, challengeIds: [] });
  });
});

describe('fatigue_acceptance', () => {
  const approval = () => entry(0, { challengeId: 'approved' });

  it('raises an approval after three misses and suspends pushes for an hour from the approval', () => {
    const found = fatigueAcceptance({ user: alice, approval: approval(), before: [entry(9), entry(6), entry(3)], rules });
    expect(found).toMatchObject({ rule: 'fatigue_acceptance', count: 3, mitigation: { action: 'suspend_push', until: new Date(NOW + 3_600_000).toISOString() } });
    expect(found?.challengeIds).toContain('approved');
    expect(found?.firstSeenAt).toEqual(new Date(NOW - 9 * 60_000));
  });

  it('counts a quiet challenge that then expired as one miss', () => {
    const quiet = entry(6, { challengeId: 'quiet-1' });
    const expiredLater = entry(5, { challengeId: 'quiet-1' });
    expect(fatigueAcceptance({ user: alice, approval: approval(), before: [quiet, expiredLater, entry(3)], rules })).toBeNull();
  });

  it('counts each throttled push (no challenge) as a miss', () => {
    const throttled = entries(3, { challengeId: null });
    expect(fatigueAcceptance({ user: alice, approval: approval(), before: throttled, rules })?.count).toBe(3);
  });

  it('ignores misses older than its window', () => {
    expect(fatigueAcceptance({ user: alice, approval: approval(), before: [entry(16), entry(6), entry(3)], rules })).toBeNull();
  });
});

describe('fraud_reported', () => {
  it('always raises, once, and suspends pushes for a day', () => {
    expect(fraudReported({ user: alice, report: entry(0), rules })).toMatchObject({
      rule: 'fraud_reported', count: 1, windowMs: 86_400_000, mitigation: { until: new Date(NOW + 86_400_000).toISOString() },
    });
  });
});

describe('impossible_travel', () => {
  const PARIS = { lat: 48.8566, lon: 2.3522 };
  const NEW_YORK = { lat: 40.7128, lon: -74.006 };
  const here = { ...NEW_YORK, at: NOW };

  it('raises Paris to New York in ten minutes, its window the time between the two sign-ins', () => {
    const found = impossibleTravel({ user: alice, signIn: entry(0), before: { ...PARIS, at: NOW - 600_000 }, here, rules });
    expect(found).toMatchObject({ rule: 'impossible_travel', count: 1, windowMs: 600_000, firstSeenAt: new Date(NOW - 600_000), at });
  });

  it('raises nothing for a first sign-in or a plausible journey', () => {
    expect(impossibleTravel({ user: alice, signIn: entry(0), before: null, here, rules })).toBeNull();
    expect(impossibleTravel({ user: alice, signIn: entry(0), before: { ...PARIS, at: NOW - 8 * 3_600_000 }, here, rules })).toBeNull();
  });
});

describe('cross_user_spray', () => {
  const ip = '192.0.2.77';
  const signIn = (userId: string, secondsAgo: number): IpSignIn => ({ userId, challengeId: `c-${userId}`, ip, atMs: NOW - secondsAgo * 1000 });

  it('raises for ten users from one address, one alert per address', () => {
    const around = Array.from({ length: 10 }, (_, i) => signIn(`u${i}`, i));
    const found = crossUserSpray({ user: alice, signIn: signIn('alice', 0), around, rules });
    expect(found).toMatchObject({ rule: 'cross_user_spray', count: 10, sourceIps: [ip], userId: 'alice', dedupKey: `acme:ip:${ip}:cross_user_spray` });
    expect(crossUserSpray({ user: alice, signIn: signIn('alice', 0), around: around.slice(1), rules })).toBeNull();
  });

  it('counts users, not sign-ins', () => {
    const around = Array.from({ length: 12 }, (_, i) => signIn(`u${i % 9}`, i));
    expect(crossUserSpray({ user: alice, signIn: signIn('u0', 0), around, rules })).toBeNull();
  });

  it('finds later sign-ins when the earliest is analysed last', () => {
    const around = Array.from({ length: 10 }, (_, i) => signIn(`u${i}`, -i));
    expect(crossUserSpray({ user: alice, signIn: signIn('u0', 0), around, rules })?.count).toBe(10);
  });
});
