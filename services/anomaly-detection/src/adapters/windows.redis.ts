import type { ChainableCommander, Redis } from 'ioredis';
import type { UserRef } from '@vigil/events';
import type { SeriesWrite, WindowStore } from '../domain/ports.ts';
import type { IpSignIn, SeriesEntry, UserSeries } from '../domain/series.ts';
import type { Location } from '../domain/travel.ts';

// Each series is a sorted set scored by the event's time (epoch ms). Keys are hash-tagged by tenant and user (or
// address) so that a user's keys share a Redis Cluster slot. Key names and member formats are what running instances
// read and write: change them only with a migration.
const userKey = (user: UserRef, series: UserSeries) => `anomaly:${series}:{${user.tenantId}:${user.userId}}`;
const ipKey = (tenantId: string, ip: string) => `anomaly:ip-users:{${tenantId}:${ip}}`;
const locationKey = (user: UserRef) => `anomaly:location:{${user.tenantId}:${user.userId}}`;

// Series are kept a little longer than their window so that late (out-of-order) events still see their neighbours.
const SLACK_MS = 60 * 60_000;
// Members kept per series at most (the newest): every rule's threshold is far below, and a flood (300 pushes a minute
// from one IP) must not make each event read and return an ever larger window.
const MAX_MEMBERS = 500;
const LOCATION_TTL_SECONDS = 7 * 86_400;

// Members are `eventId|challengeId|ip` (user series) and `userId|challengeId|ip` (address series): unique per event,
// so ZADD of a redelivered event changes nothing.
const userMember = (entry: SeriesEntry) => `${entry.eventId}|${entry.challengeId ?? ''}|${entry.ip ?? ''}`;
const ipMember = (signIn: IpSignIn) => `${signIn.userId}|${signIn.challengeId ?? ''}|${signIn.ip}`;

/** ZRANGEBYSCORE … WITHSCORES answers member, score, member, score, … */
function scored(flat: readonly string[]): { parts: string[]; atMs: number }[] {
  const members: { parts: string[]; atMs: number }[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) members.push({ parts: (flat[i] as string).split('|'), atMs: Number(flat[i + 1]) });
  return members;
}

const userEntries = (flat: readonly string[]): SeriesEntry[] => scored(flat).map(({ parts: [eventId, challengeId, ip], atMs }) => ({
  eventId: eventId ?? '', challengeId: challengeId || null, ip: ip || null, atMs,
}));

const ipSignIns = (flat: readonly string[]): IpSignIn[] => scored(flat).map(({ parts: [userId, challengeId, ip], atMs }) => ({
  userId: userId ?? '', challengeId: challengeId || null, ip: ip ?? '', atMs,
}));

/** Adds a member and trims the series to what its rules may still read. */
function addTrimmed(redis: Redis, key: string, member: string, atMs: number, windowMs: number): ChainableCommander {
  return redis.multi()
    .zadd(key, atMs, member)
    .zremrangebyrank(key, 0, -(MAX_MEMBERS + 1))
    .zremrangebyscore(key, '-inf', atMs - windowMs - SLACK_MS)
    .pexpire(key, windowMs + SLACK_MS);
}

/** The reply of the command after addTrimmed's four. */
const rangeReply = (results: [Error | null, unknown][] | null) => (results?.[4]?.[1] ?? []) as string[];

export function redisWindows(redis: Redis): WindowStore {
  const addUser = ({ user, series, entry, windowMs }: SeriesWrite) => addTrimmed(redis, userKey(user, series), userMember(entry), entry.atMs, windowMs);
  return {
    async add(write) {
      await addUser(write).exec();
    },
    async addAndRange(write) {
      const key = userKey(write.user, write.series);
      const results = await addUser(write).zrangebyscore(key, write.entry.atMs - write.windowMs + 1, write.entry.atMs, 'WITHSCORES').exec();
      return userEntries(rangeReply(results));
    },
    async range({ user, series, atMs, windowMs }) {
      return userEntries(await redis.zrangebyscore(userKey(user, series), atMs - windowMs + 1, atMs, 'WITHSCORES'));
    },
    async addAndAround({ tenantId, signIn, windowMs }) {
      const key = ipKey(tenantId, signIn.ip);
      const results = await addTrimmed(redis, key, ipMember(signIn), signIn.atMs, windowMs)
        .zrangebyscore(key, signIn.atMs - windowMs + 1, signIn.atMs + windowMs - 1, 'WITHSCORES')
        .exec();
      return ipSignIns(rangeReply(results));
    },
    async lastLocation(user) {
      const raw = await redis.get(locationKey(user));
      return raw ? (JSON.parse(raw) as Location) : null;
    },
    async setLocation(user, location) {
      await redis.set(locationKey(user), JSON.stringify(location), 'EX', LOCATION_TTL_SECONDS);
    },
  };
}
