import type { EventData, UserRef, VigilEvent } from '@vigil/events';
import {
  crossUserSpray, denialStreak, fatigueAcceptance, fraudReported, impossibleTravel, ipSpray, pushBurst, responseFlood, seriesWindowMs, type Detection,
} from '../domain/detections.ts';
import type { SeriesEntry } from '../domain/series.ts';
import type { AnomalyDeps } from './deps.ts';
import { raiseAlert, type RaisedAlert } from './raise-alert.ts';

export interface AnalyzeEvent {
  event: VigilEvent;
}

export interface AnalyzedEvent {
  /** The alerts the event opened or updated, in the order its rules raised them. */
  raised: RaisedAlert[];
}

interface Analysis {
  deps: AnomalyDeps;
  raise: (detection: Detection | null) => Promise<void>;
}

/** The user an event is about, and the event as an entry of that user's series. */
interface Seen {
  user: UserRef;
  entry: SeriesEntry;
}

/**
 * Feeds one event to its user's windows (reading each at most once) and raises what the rules of CONTRACT §7 find.
 * A failure propagates and the consumer retries the event: windows hold each event once, so the retry sees the same
 * windows and raises again, and an alert already written is updated rather than doubled.
 */
export async function analyzeEvent(deps: AnomalyDeps, { event }: AnalyzeEvent): Promise<AnalyzedEvent> {
  const raised: RaisedAlert[] = [];
  const raise = async (detection: Detection | null) => {
    if (detection) raised.push(await raiseAlert(deps, { detection }));
  };
  await analyze({ deps, raise }, event);
  return { raised };
}

function analyze(analysis: Analysis, event: VigilEvent): Promise<void> {
  switch (event.type) {
    case 'vigil.challenge.created':
      return onPush(analysis, seen(event, event.data.challengeId, event.data.context.ip, event.data.createdAt), event.data);
    case 'vigil.challenge.throttled':
      return onPush(analysis, seen(event, null, event.data.context.ip, event.data.throttledAt), null);
    case 'vigil.challenge.expired':
      return onMiss(analysis, seen(event, event.data.challengeId, event.data.context.ip, event.data.expiredAt));
    case 'vigil.challenge.denied':
      return onMiss(analysis, seen(event, event.data.challengeId, event.data.context.ip, event.data.decidedAt));
    case 'vigil.challenge.approved':
      return onApproval(analysis, seen(event, event.data.challengeId, event.data.context.ip, event.data.decidedAt));
    case 'vigil.challenge.reported':
      return onReport(analysis, seen(event, event.data.challengeId, event.data.context.ip, event.data.decidedAt));
    case 'vigil.response.rejected':
      return onRejection(analysis, seen(event, event.data.challengeId, event.data.sourceIp, event.data.rejectedAt));
    default:
      return Promise.resolve();
  }
}

function seen(event: { id: string; data: UserRef }, challengeId: string | null, ip: string | null | undefined, at: string): Seen {
  const { tenantId, userId } = event.data;
  return { user: { tenantId, userId }, entry: { eventId: event.id, challengeId, ip: ip ?? null, atMs: Date.parse(at) } };
}

/** A push (created challenge) or a throttled one, which has no challenge. */
async function onPush({ deps, raise }: Analysis, { user, entry }: Seen, created: EventData<'vigil.challenge.created'> | null): Promise<void> {
  const { rules } = deps;
  const windowMs = seriesWindowMs(rules);
  const at = new Date(entry.atMs);
  const pushes = await deps.windows.addAndRange({ user, series: 'pushes', entry, windowMs: windowMs.pushes });
  await raise(pushBurst({ user, at, pushes, rules }));
  // Throttled pushes, and quiet challenges (made because the user is over a push budget or in cool-down), count as
  // misses before an approval (fatigue_acceptance, CONTRACT §7 v2).
  if (created === null || created.delivery === 'quiet') await deps.windows.add({ user, series: 'fatigue', entry, windowMs: windowMs.fatigue });
  await raise(ipSpray({ user, at, pushes, rules }));
  if (created !== null) await onSignIn({ deps, raise }, { user, entry }, created.context);
}

/** What a sign-in's context tells across users (its address) and across time (its location). */
async function onSignIn({ deps, raise }: Analysis, { user, entry }: Seen, context: EventData<'vigil.challenge.created'>['context']): Promise<void> {
  const { rules } = deps;
  if (context.ip) {
    const signIn = { userId: user.userId, challengeId: entry.challengeId, ip: context.ip, atMs: entry.atMs };
    const around = await deps.windows.addAndAround({ tenantId: user.tenantId, signIn, windowMs: rules.crossUserSpray.windowMs });
    await raise(crossUserSpray({ user, signIn, around, rules }));
  }
  const { lat, lon } = context.location ?? {};
  if (lat === undefined || lon === undefined) return;
  const here = { lat, lon, at: entry.atMs };
  const before = await deps.windows.lastLocation(user);
  // Raised before the location moves on: a retry after a failed raise sees the same two places and raises again.
  await raise(impossibleTravel({ user, signIn: entry, before, here, rules }));
  await deps.windows.setLocation(user, here);
}

/** A denial or an expiry: a miss for the denial streak, and one before a possible approval. */
async function onMiss({ deps, raise }: Analysis, { user, entry }: Seen): Promise<void> {
  const windowMs = seriesWindowMs(deps.rules);
  await deps.windows.add({ user, series: 'fatigue', entry, windowMs: windowMs.fatigue });
  const misses = await deps.windows.addAndRange({ user, series: 'misses', entry, windowMs: windowMs.misses });
  await raise(denialStreak({ user, at: new Date(entry.atMs), misses, rules: deps.rules }));
}

async function onApproval({ deps, raise }: Analysis, { user, entry }: Seen): Promise<void> {
  const before = await deps.windows.range({ user, series: 'fatigue', atMs: entry.atMs, windowMs: seriesWindowMs(deps.rules).fatigue });
  await raise(fatigueAcceptance({ user, approval: entry, before, rules: deps.rules }));
}

function onReport({ deps, raise }: Analysis, { user, entry }: Seen): Promise<void> {
  return raise(fraudReported({ user, report: entry, rules: deps.rules }));
}

async function onRejection({ deps, raise }: Analysis, { user, entry }: Seen): Promise<void> {
  const rejections = await deps.windows.addAndRange({ user, series: 'rejections', entry, windowMs: seriesWindowMs(deps.rules).rejections });
  await raise(responseFlood({ user, at: new Date(entry.atMs), rejections, rules: deps.rules }));
}
