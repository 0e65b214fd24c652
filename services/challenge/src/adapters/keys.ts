import type { UserRef } from '@vigil/events';

// The challenge service's own Redis keys (ARCHITECTURE §2). A user's keys carry one hash tag, `{tenant:user}`.
//
// Single-node Redis only, today: the scripts are not Redis Cluster safe, the hash tags notwithstanding. The push gate
// takes a user's keys together with the tenant+IP log (`{tenant:ip}`, another slot); create, decide and the expiry
// sweep touch the untagged challenge hash, the global expiry index and the outbox stream (`challenge:outbox`) beside
// the user's keys; and the sweep builds the keys of many users inside one script, keys it does not declare. On a
// cluster these would fail with CROSSSLOT. Making them cluster-safe is tracked by a later issue.
const user = (ref: UserRef) => `{${ref.tenantId}:${ref.userId}}`;

export const keys = {
  challengePrefix: 'challenge:c:',
  challenge: (challengeId: string) => `challenge:c:${challengeId}`,
  expiries: 'challenge:expiries',
  decidedChannel: 'challenge:decided',
  device: (ref: UserRef) => `challenge:device:${user(ref)}`,
  suspended: (ref: UserRef) => `challenge:suspended:${user(ref)}`,
  cooldown: (ref: UserRef) => `challenge:cooldown:${user(ref)}`,
  misses: (ref: UserRef) => `challenge:misses:${user(ref)}`,
  // Scripts that finish challenges of many users build these keys themselves: prefix + `{tenant:user}`.
  missesPrefix: 'challenge:misses:',
  cooldownPrefix: 'challenge:cooldown:',
  suspendedPrefix: 'challenge:suspended:',
  userLog: (ref: UserRef) => `challenge:pushes:${user(ref)}`,
  quietLog: (ref: UserRef) => `challenge:quiet:${user(ref)}`,
  sinceSuccess: (ref: UserRef) => `challenge:since-success:${user(ref)}`,
  sinceSuccessPrefix: 'challenge:since-success:',
  policy: (tenantId: string) => `challenge:policy:{${tenantId}}`,
  ipLog: (tenantId: string, ip: string) => `challenge:ip-pushes:{${tenantId}:${ip}}`,
  idempotency: (ref: UserRef, key: string) => `challenge:idem:${user(ref)}:${key}`,
};
