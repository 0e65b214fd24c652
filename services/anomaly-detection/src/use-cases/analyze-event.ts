import { draft, type VigilEvent } from '@vigil/events';
import { EventsPendingError } from '@vigil/kafka';
import type { Detection, UserRef } from '../domain/ports.ts';
import { busiestWindow, type TimedMember } from '../domain/busiest-window.ts';
import { isImpossibleTravel, type Rule } from '../domain/rules.ts';
import type { AnomalyDeps } from './deps.ts';

// Series members are `eventId|challengeId|ip`, so windows can tell which challenges and addresses were involved.
const member = (eventId: string, challengeId: string | null, ip: string | undefined) => `${eventId}|${challengeId ?? ''}|${ip ?? ''}`;
const parts = (members: TimedMember[]) => members.map((entry) => entry.member.split('|')).map(([, challengeId, ip]) => ({ challengeId: challengeId ?? '', ip: ip ?? '' }));
const challengeIdsOf = (members: TimedMember[]) => [...new Set(parts(members).map((part) => part.challengeId).filter(Boolean))];
const ipsOf = (members: TimedMember[]) => [...new Set(parts(members).map((part) => part.ip).filter(Boolean))];
const distinctMisses = (members: TimedMember[]) => {
  const withChallenge = parts(members).filter((part) => part.challengeId);
  return new Set(withChallenge.map((part) => part.challengeId)).size + (members.length - withChallenge.length);
};
const userKey = (user: UserRef, series: string) => `anomaly:${series}:{${user.tenantId}:${user.userId}}`;

async function raise(deps: AnomalyDeps, detection: Omit<Detection, 'mitigation'>, options: { dedupKey?: string; suspendMs?: number } = {}) {
  const mitigation = options.suspendMs ? { action: 'suspend_push' as const, until: new Date(detection.at.getTime() + options.suspendMs).toISOString() } : null;
  const dedupKey = options.dedupKey ?? `${detection.tenantId}:${detection.userId}:${detection.rule}`;
  // The alert and the suspension it opens are stored with the alert: a retry after any failure never loses the
  // suspension (CONTRACT §8); when only their delivery failed, the outbox relay publishes them.
  await deps.alerts.record({ ...detection, mitigation }, dedupKey, deps.rules.dedupMs, (alert) => [
    draft('vigil.fatigue.alert', alert),
    ...(mitigation && alert.status === 'open' ? [draft('vigil.user.push-suspended', {
      tenantId: detection.tenantId, userId: detection.userId, until: mitigation.until, rule: detection.rule, alertId: alert.alertId, suspendedAt: detection.at.toISOString(),
    })] : []),
  ]).catch((error: unknown) => {
    if (!(error instanceof EventsPendingError)) throw error;
  });
}

/** What a rule found: counts, challenges and source addresses of every event it counted, and the first one's time. */
function detection(user: UserRef, rule: Rule, members: TimedMember[], windowMs: number, at: Date, count = members.length): Omit<Detection, 'mitigation'> {
  const firstSeenAt = new Date(Math.min(at.getTime(), ...members.map((entry) => entry.atMs)));
  return { ...user, rule, count, windowMs, at, firstSeenAt, challengeIds: challengeIdsOf(members), sourceIps: ipsOf(members) };
}

type PushEvent = Extract<VigilEvent, { type: 'vigil.challenge.created' | 'vigil.challenge.throttled' }>;

async function onPush(deps: AnomalyDeps, event: PushEvent): Promise<void> {
  const { rules } = deps;
  const user = event.data;
  const at = new Date(event.type === 'vigil.challenge.created' ? event.data.createdAt : event.data.throttledAt);
  const challengeId = event.type === 'vigil.challenge.created' ? event.data.challengeId : null;
  const ip = event.data.context.ip;
  const entry = member(event.id, challengeId, ip);

  const pushes = await deps.windows.addAndRange(userKey(user, 'pushes'), entry, at.getTime(), rules.pushBurst.windowMs);
  if (pushes.length >= rules.pushBurst.count) await raise(deps, detection(user, 'push_burst', pushes, rules.pushBurst.windowMs, at));

  // Throttled pushes, and quiet challenges (made because the user is over a push budget or in cool-down), count as
  // misses before an approval (fatigue_acceptance, CONTRACT §7 v2).
  if (event.type === 'vigil.challenge.throttled' || event.data.delivery === 'quiet') {
    await deps.windows.addAndRange(userKey(user, 'fatigue'), entry, at.getTime(), rules.fatigueAcceptance.windowMs);
  }
  // The addresses behind every push of the window, throttled ones included.
  const window = await deps.windows.range(userKey(user, 'pushes'), at.getTime() - rules.ipSpray.windowMs, at.getTime());
  const ips = ipsOf(window);
  if (ips.length >= rules.ipSpray.distinctIps) await raise(deps, detection(user, 'ip_spray', window, rules.ipSpray.windowMs, at, ips.length));
  if (event.type === 'vigil.challenge.throttled') return;
  if (ip) {
    // Other users' events come from other partitions, in any order: look around this event, not only back from it.
    const around = await deps.windows.addAndAround(`anomaly:ip-users:{${user.tenantId}:${ip}}`, `${user.userId}|${challengeId ?? ''}|${ip}`, at.getTime(), rules.crossUserSpray.windowMs);
    const userOf = (entryText: string) => entryText.split('|')[0] ?? '';
    const spray = busiestWindow(around, at.getTime(), rules.crossUserSpray.windowMs, userOf);
    const users = new Set(spray.map((point) => userOf(point.member)));
    if (users.size >= rules.crossUserSpray.distinctUsers) {
      await raise(deps, { ...detection(user, 'cross_user_spray', spray, rules.crossUserSpray.windowMs, at, users.size) }, { dedupKey: `${user.tenantId}:ip:${ip}:cross_user_spray` });
    }
  }
  const { lat, lon } = event.data.context.location ?? {};
  if (lat !== undefined && lon !== undefined) {
    const here = { lat, lon, at: at.getTime() };
    const before = await deps.windows.lastLocation(user);
    // Raised before the location moves on: a retry after a failed raise sees the same two places and raises again.
    // Its window is the time between the two sign-ins it compares.
    if (before && isImpossibleTravel(before, here, rules)) {
      await raise(deps, detection(user, 'impossible_travel', [{ member: entry, atMs: Math.min(before.at, here.at) }, { member: entry, atMs: here.at }], Math.abs(here.at - before.at), at, 1));
    }
    await deps.windows.setLocation(user, here);
  }
}

async function onMiss(deps: AnomalyDeps, user: UserRef, eventId: string, challengeId: string, ip: string | undefined, at: Date): Promise<void> {
  const { rules } = deps;
  const entry = member(eventId, challengeId, ip);
  await deps.windows.addAndRange(userKey(user, 'fatigue'), entry, at.getTime(), rules.fatigueAcceptance.windowMs);
  const misses = await deps.windows.addAndRange(userKey(user, 'misses'), entry, at.getTime(), rules.denialStreak.windowMs);
  if (misses.length >= rules.denialStreak.count) await raise(deps, detection(user, 'denial_streak', misses, rules.denialStreak.windowMs, at));
}

/** Feeds one event to the user's windows and raises what the rules of CONTRACT §7 find. */
export async function analyzeEvent(deps: AnomalyDeps, event: VigilEvent): Promise<void> {
  const { rules } = deps;
  switch (event.type) {
    case 'vigil.challenge.created':
    case 'vigil.challenge.throttled':
      return onPush(deps, event);
    case 'vigil.challenge.expired':
      return onMiss(deps, event.data, event.id, event.data.challengeId, event.data.context.ip, new Date(event.data.expiredAt));
    case 'vigil.challenge.denied':
      return onMiss(deps, event.data, event.id, event.data.challengeId, event.data.context.ip, new Date(event.data.decidedAt));
    case 'vigil.challenge.approved': {
      const at = new Date(event.data.decidedAt);
      const before = await deps.windows.range(userKey(event.data, 'fatigue'), at.getTime() - rules.fatigueAcceptance.windowMs, at.getTime());
      // A quiet challenge that then expired is one miss, not two: count challenges (throttled pushes have none).
      const misses = distinctMisses(before);
      if (misses < rules.fatigueAcceptance.misses) return;
      const members = [...before, { member: member(event.id, event.data.challengeId, event.data.context.ip), atMs: at.getTime() }];
      return raise(deps, detection(event.data, 'fatigue_acceptance', members, rules.fatigueAcceptance.windowMs, at, misses), { suspendMs: rules.fatigueAcceptance.suspendMs });
    }
    case 'vigil.challenge.reported': {
      const at = new Date(event.data.decidedAt);
      const members = [{ member: member(event.id, event.data.challengeId, event.data.context.ip), atMs: at.getTime() }];
      return raise(deps, detection(event.data, 'fraud_reported', members, 86_400_000, at, 1), { suspendMs: rules.fraudReported.suspendMs });
    }
    case 'vigil.response.rejected': {
      const at = new Date(event.data.rejectedAt);
      const members = await deps.windows.addAndRange(userKey(event.data, 'rejections'), member(event.id, event.data.challengeId, event.data.sourceIp ?? undefined), at.getTime(), rules.responseFlood.windowMs);
      if (members.length >= rules.responseFlood.count) await raise(deps, detection(event.data, 'response_flood', members, rules.responseFlood.windowMs, at));
      return;
    }
    default:
      return;
  }
}

/** Admin lift (CONTRACT §7): the challenge service lifts suspension and cool-down when it sees push-restored. */
export async function liftSuspension(deps: AnomalyDeps, user: UserRef): Promise<void> {
  await deps.events.emit('vigil.user.push-restored', { ...user, restoredAt: deps.now().toISOString(), by: 'admin' });
}
