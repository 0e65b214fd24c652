import { serverChallengeMessage } from '@vigil/crypto';
import type { EventData } from '@vigil/events';
import type { UserRef } from '@vigil/events';
import type { VerificationDeps } from './deps.ts';

/**
 * A new challenge: sign the device's view of it once (CONTRACT §6 payload, no number), keep it, and wake the device's
 * long poll on whichever instance holds it. `delivery` (v2) tells the app whether the phone was woken: a quiet
 * challenge is shown with a line that the user was not notified because of unusual activity.
 */
export async function projectChallenge(deps: VerificationDeps, data: EventData<'vigil.challenge.created'>): Promise<void> {
  const payload = JSON.stringify({
    challengeId: data.challengeId, tenantId: data.tenantId, userId: data.userId, deviceId: data.deviceId,
    createdAt: data.createdAt, expiresAt: data.expiresAt, numberMatchDigits: data.numberMatchDigits, context: data.context,
    delivery: data.delivery ?? 'push',
  });
  await deps.challenges.put({
    challengeId: data.challengeId, tenantId: data.tenantId, userId: data.userId, deviceId: data.deviceId,
    numberMatch: data.numberMatch, numberMatchDigits: data.numberMatchDigits, createdAt: new Date(data.createdAt),
    expiresAt: new Date(data.expiresAt), context: data.context, status: 'pending',
    signed: { payload, signature: deps.serverKey.sign(serverChallengeMessage(payload)), keyId: deps.serverKey.keyId },
  });
  await deps.newChallenges.notify(data.deviceId);
}

export async function projectFactors(deps: VerificationDeps, data: EventData<'vigil.factors.snapshot'>): Promise<void> {
  await deps.factors.apply(data, {
    version: data.version,
    device: data.push && { tenantId: data.tenantId, userId: data.userId, deviceId: data.push.deviceId, publicKey: data.push.publicKey },
    totpSecret: data.totp?.secret ?? null,
    totpSpentStep: data.totp?.spentStep ?? null,
  });
}

export function forgetFactors(deps: VerificationDeps, user: UserRef): Promise<void> {
  return deps.factors.remove(user);
}
