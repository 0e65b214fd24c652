import type { Redis } from 'ioredis';
import type { TimedMember } from '../domain/busiest-window.ts';
import type { UserRef, WindowStore } from '../domain/ports.ts';
import type { Location } from '../domain/rules.ts';

// Series are kept a little longer than their window so that late (out-of-order) events still see their neighbours.
const SLACK_MS = 60 * 60_000;
// Members kept per series at most (the newest): every rule's threshold is far below, and a flood (300 pushes a minute
// from one IP) must not make each event read and return an ever larger window.
const MAX_MEMBERS = 500;

/** ZRANGEBYSCORE … WITHSCORES answers member, score, member, score, … */
function timed(flat: string[]): TimedMember[] {
  const members: TimedMember[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) members.push({ member: flat[i] as string, atMs: Number(flat[i + 1]) });
  return members;
}

export function redisWindows(redis: Redis): WindowStore {
  const locationKey = (user: UserRef) => `anomaly:location:{${user.tenantId}:${user.userId}}`;
  return {
    async addAndRange(key, member, atMs, windowMs) {
      const results = await redis.multi()
        .zadd(key, atMs, member)
        .zremrangebyrank(key, 0, -(MAX_MEMBERS + 1))
        .zremrangebyscore(key, '-inf', atMs - windowMs - SLACK_MS)
        .pexpire(key, windowMs + SLACK_MS)
        .zrangebyscore(key, atMs - windowMs + 1, atMs, 'WITHSCORES')
        .exec();
      return timed((results?.[4]?.[1] ?? []) as string[]);
    },
    async addAndAround(key, member, atMs, windowMs) {
      const results = await redis.multi()
        .zadd(key, atMs, member)
        .zremrangebyrank(key, 0, -(MAX_MEMBERS + 1))
        .zremrangebyscore(key, '-inf', atMs - windowMs - SLACK_MS)
        .pexpire(key, windowMs + SLACK_MS)
        .zrangebyscore(key, atMs - windowMs + 1, atMs + windowMs - 1, 'WITHSCORES')
        .exec();
      return timed((results?.[4]?.[1] ?? []) as string[]);
    },
    async range(key, fromMs, toMs) {
      return timed(await redis.zrangebyscore(key, fromMs + 1, toMs, 'WITHSCORES'));
    },
    async lastLocation(user) {
      const raw = await redis.get(locationKey(user));
      return raw ? (JSON.parse(raw) as Location) : null;
    },
    async setLocation(user, location) {
      await redis.set(locationKey(user), JSON.stringify(location), 'EX', 7 * 86_400);
    },
  };
}
