import { draft, type ChallengeContext, type UserRef } from '@vigil/events';
import { EventsPendingError } from '@vigil/kafka';
import type { Challenge } from '../domain/challenge.ts';
import { ChallengeError } from '../domain/challenge-error.ts';
import { newNumberMatch } from '../domain/number-match.ts';
import { policyCooldownSchedule, type Policy } from '../domain/policy.ts';
import type { ChallengeDeps } from './deps.ts';
import { tenantPolicy } from './read-policy.ts';

export interface CreateChallenge extends UserRef {
  context: ChallengeContext;
  idempotencyKey: string | null;
}

export interface CreatedChallenge {
  challenge: Challenge;
  /** True when an Idempotency-Key repeat returned the first challenge: no second push, not counted. */
  repeated: boolean;
}

async function existingFor(deps: ChallengeDeps, challengeId: string, user: UserRef): Promise<Challenge | null> {
  // The first request may still be writing its challenge: give it a moment.
  for (let attempt = 0; attempt < 10; attempt += 1) {
    const challenge = await deps.store.get(challengeId);
    if (challenge) return challenge.tenantId === user.tenantId && challenge.userId === user.userId ? challenge : null;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return null;
}

/**
 * CONTRACT §5 (v2): a challenge under the tenant's policy as it stands now, pushed or quiet. An attacker's pushes
 * never lock the user out: over a push budget or in cool-down the challenge is still made, only quietly.
 */
export async function createChallenge(deps: ChallengeDeps, command: CreateChallenge): Promise<CreatedChallenge> {
  const user = { tenantId: command.tenantId, userId: command.userId };
  const policy = await tenantPolicy(deps, command);
  const ttlMs = policy.challengeTtlSeconds * 1000;
  const now = deps.now();
  const challengeId = deps.newId();
  const key = command.idempotencyKey;
  if (key !== null) {
    const heldBy = await deps.idempotency.reserve(user, key, challengeId, ttlMs);
    if (heldBy !== null) {
      const first = await existingFor(deps, heldBy, user);
      if (first && first.status === 'pending' && first.expiresAt > now) return { challenge: first, repeated: true };
      // The first challenge is over: this is a new login attempt under an old key.
      await deps.idempotency.release(user, key);
      return createChallenge(deps, { ...command, idempotencyKey: null });
    }
  }
  const release = () => (key === null ? Promise.resolve() : deps.idempotency.release(user, key));
  try {
    return { challenge: await admitAndCreate(deps, command, policy, challengeId, now), repeated: false };
  } catch (error) {
    // Stored, only not announced yet (503): the key keeps naming it, so the retry gets this challenge, not a second
    // push. Anything else made no challenge: a retry under the key must make one, not wait for this one.
    if (!(error instanceof EventsPendingError)) await release().catch(() => undefined);
    throw error;
  }
}

async function admitAndCreate(deps: ChallengeDeps, command: CreateChallenge, policy: Policy, challengeId: string, now: Date): Promise<Challenge> {
  const user = { tenantId: command.tenantId, userId: command.userId };
  const admission = await deps.gate.admit(user, command.context.ip ?? null, { ...policy, ipPerMinute: deps.settings.ipPerMinute });
  if (!admission.admitted) {
    if (admission.kind === 'no_device') throw new ChallengeError('no_push_device', 'the user has no active push device');
    if (admission.kind === 'suspended') throw new ChallengeError('push_suspended', 'pushes to this user are suspended', admission.retryAfterMs);
    await deps.events.emit('vigil.challenge.throttled', {
      ...user, rule: admission.rule, retryAfterSeconds: Math.ceil(admission.retryAfterMs / 1000), context: command.context, throttledAt: now.toISOString(),
    });
    throw new ChallengeError('throttled', `too many challenges (${admission.rule})`, admission.retryAfterMs);
  }

  const quietReason = admission.delivery === 'quiet' ? admission.quietReason : null;
  const challenge: Challenge = {
    challengeId,
    ...user,
    deviceId: admission.deviceId,
    numberMatch: newNumberMatch(policy.numberMatchDigits),
    delivery: admission.delivery,
    quietReason,
    status: 'pending',
    reason: null,
    createdAt: now,
    expiresAt: new Date(now.getTime() + policy.challengeTtlSeconds * 1000),
    decidedAt: null,
    context: command.context,
  };
  const expiresAt = challenge.expiresAt.toISOString();
  await deps.store.create(challenge, {
    created: draft('vigil.challenge.created', {
      ...user, challengeId, deviceId: admission.deviceId, numberMatch: challenge.numberMatch, numberMatchDigits: policy.numberMatchDigits,
      createdAt: now.toISOString(), expiresAt, context: command.context, delivery: challenge.delivery, ...(quietReason ? { quietReason } : {}),
    }),
    // Announced by the sweep if the challenge is still pending then; it expires at expiresAt.
    expired: draft('vigil.challenge.expired', { ...user, challengeId, deviceId: admission.deviceId, expiredAt: expiresAt, context: command.context }),
  }, { cooldownSchedule: policyCooldownSchedule(policy) });
  return challenge;
}
