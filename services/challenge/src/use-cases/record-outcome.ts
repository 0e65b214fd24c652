import { isMiss, type Challenge } from '../domain/challenge.ts';
import { cooldownMs } from '../domain/cooldown-policy.ts';
import type { UserRef } from '../domain/ports.ts';
import type { ChallengeDeps } from './deps.ts';

/** Miss streaks and fraud: what a finished challenge means for the user's next pushes. */
async function applyOutcome(deps: ChallengeDeps, challenge: Challenge): Promise<void> {
  const user = { tenantId: challenge.tenantId, userId: challenge.userId };
  if (challenge.status === 'approved') return deps.risk.resetMisses(user);
  if (challenge.status === 'reported') {
    // A fraud report suspends at once, without waiting for the anomaly service (which may be down).
    return deps.risk.suspend(user, new Date(deps.now().getTime() + deps.settings.fraudSuspensionMs));
  }
  if (!isMiss(challenge.status)) return;
  const misses = await deps.risk.recordMiss(user);
  const ms = cooldownMs(misses, deps.settings.cooldown);
  if (ms > 0) await deps.risk.setCooldown(user, ms);
}

export interface Decision extends UserRef {
  challengeId: string;
  status: 'approved' | 'denied' | 'reported';
  reason: string | null;
  decidedAt: Date;
}

/** A decision from vigil.verifications.v1; the first one wins, repeats change nothing. */
export async function recordDecision(deps: ChallengeDeps, decision: Decision): Promise<Challenge | null> {
  const existing = await deps.store.get(decision.challengeId);
  if (existing === null || existing.tenantId !== decision.tenantId || existing.userId !== decision.userId) return null;
  const decided = await deps.store.decide(decision.challengeId, decision.status, decision.reason, decision.decidedAt);
  if (decided === null) return null;
  await deps.signal.notify(decided.challengeId);
  await applyOutcome(deps, decided);
  return decided;
}

/** Expires due challenges; run by every instance, each challenge is taken by one. Returns how many expired. */
export async function expireDue(deps: ChallengeDeps, limit = 200): Promise<number> {
  const now = deps.now();
  const expired = await deps.store.takeExpired(now, limit);
  for (const challenge of expired) {
    await deps.signal.notify(challenge.challengeId);
    await deps.events.emit('vigil.challenge.expired', {
      tenantId: challenge.tenantId, userId: challenge.userId, challengeId: challenge.challengeId, deviceId: challenge.deviceId,
      expiredAt: now.toISOString(), context: challenge.context,
    });
    await applyOutcome(deps, challenge);
  }
  return expired.length;
}
