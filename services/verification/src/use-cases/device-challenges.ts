import { draft } from '@vigil/events';
import type { Device, DeviceRejection } from '@vigil/http';
import { numberMatches } from '../domain/number-match.ts';
import type { ProjectedChallenge } from '../domain/ports.ts';
import { VerificationError } from '../domain/verification-error.ts';
import type { VerificationDeps } from './deps.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The challenge, waiting briefly if the device is faster than this service's projection (push beats Kafka). */
async function projected(deps: VerificationDeps, challengeId: string): Promise<ProjectedChallenge | null> {
  const deadline = Date.now() + deps.settings.projectionWaitMs;
  for (;;) {
    const challenge = await deps.challenges.get(challengeId);
    if (challenge || Date.now() >= deadline) return challenge;
    await sleep(50);
  }
}

async function rejected(deps: VerificationDeps, device: Device, challengeId: string | null, reason: 'wrong_device' | 'number_mismatch' | 'expired' | 'already_decided', sourceIp: string) {
  if (!(await deps.rejections.allow(device.deviceId, reason))) return;
  await deps.events.emit('vigil.response.rejected', {
    tenantId: device.tenantId, userId: device.userId, challengeId, deviceId: device.deviceId, reason, sourceIp, rejectedAt: deps.now().toISOString(),
  });
}

/** The device's own challenge; another user's or device's answers 404 as if it did not exist. */
async function ownChallenge(deps: VerificationDeps, device: Device, challengeId: string, sourceIp: string): Promise<ProjectedChallenge> {
  const challenge = await projected(deps, challengeId);
  if (challenge === null) throw new VerificationError('not_found', 'no such challenge');
  if (challenge.tenantId !== device.tenantId || challenge.userId !== device.userId || challenge.deviceId !== device.deviceId) {
    await rejected(deps, device, challengeId, 'wrong_device', sourceIp);
    throw new VerificationError('not_found', 'no such challenge');
  }
  return challenge;
}

export async function readDeviceChallenge(deps: VerificationDeps, device: Device, challengeId: string, sourceIp: string) {
  const challenge = await ownChallenge(deps, device, challengeId, sourceIp);
  if (challenge.status === 'expired' || challenge.expiresAt <= deps.now()) throw new VerificationError('expired', 'the challenge has expired');
  if (challenge.status !== 'pending') throw new VerificationError('already_decided', 'the challenge was already decided');
  return challenge.signed;
}

/**
 * Poll mode: the device's pending challenges, waiting for a new one when there is none. A wait takes one of the
 * device's few long-poll places (CONTRACT §6 v2) and ends at once when `gone` aborts (the client went away).
 */
export async function listPending(deps: VerificationDeps, device: Device, waitMs: number, gone?: AbortSignal) {
  let pending = await deps.challenges.pendingFor(device.deviceId, deps.now());
  if (pending.length === 0 && waitMs > 0) {
    const holdMs = Math.min(waitMs, deps.settings.longPollMaxMs);
    const place = await deps.longPolls.take(device.deviceId, holdMs);
    if (!place.taken) throw new VerificationError('throttled', 'too many long polls for this device or this instance', place.retryAfterMs);
    // Ended when the answer is made, however it is made: no timer or waiter outlives its request.
    const answered = new AbortController();
    try {
      const woken = deps.newChallenges.wait(device.deviceId, holdMs, gone ? AbortSignal.any([gone, answered.signal]) : answered.signal);
      pending = await deps.challenges.pendingFor(device.deviceId, deps.now());
      if (pending.length === 0) {
        await woken;
        if (gone?.aborted) return { challenges: [] };
        pending = await deps.challenges.pendingFor(device.deviceId, deps.now());
      }
    } finally {
      answered.abort();
      await place.release();
    }
  }
  return { challenges: pending.map((challenge) => challenge.signed) };
}

export interface Response {
  decision: 'approve' | 'deny' | 'report';
  numberMatch?: string;
  sourceIp: string;
}

const STATUS = { approve: 'approved', deny: 'denied', report: 'reported' } as const;

/** CONTRACT §6 response rules: first decision wins; expired → 410; approve with the wrong number → denied + 422. */
export async function respond(deps: VerificationDeps, device: Device, challengeId: string, response: Response) {
  const challenge = await ownChallenge(deps, device, challengeId, response.sourceIp);
  const mismatch = response.decision === 'approve' && !numberMatches(challenge.numberMatch, response.numberMatch);
  const status = mismatch ? 'denied' : STATUS[response.decision];
  const now = deps.now();
  const decision = {
    tenantId: challenge.tenantId, userId: challenge.userId, challengeId, deviceId: device.deviceId, decidedAt: now.toISOString(), context: challenge.context,
  };
  const announce = [
    status === 'approved' ? draft('vigil.challenge.approved', decision)
      : status === 'reported' ? draft('vigil.challenge.reported', decision)
        : draft('vigil.challenge.denied', { ...decision, reason: mismatch ? 'number_mismatch' : 'user_denied' }),
    ...(mismatch ? [draft('vigil.response.rejected', {
      tenantId: device.tenantId, userId: device.userId, challengeId, deviceId: device.deviceId, reason: 'number_mismatch', sourceIp: response.sourceIp, rejectedAt: now.toISOString(),
    })] : []),
  ];
  const outcome = await deps.challenges.decide(challengeId, status, now, announce, mismatch);
  if (outcome === 'expired' || outcome === 'already_decided') {
    await rejected(deps, device, challengeId, outcome, response.sourceIp);
    throw new VerificationError(outcome, outcome === 'expired' ? 'the challenge has expired' : 'the challenge was already decided');
  }
  if (outcome === 'missing') throw new VerificationError('not_found', 'no such challenge');
  if (mismatch) throw new VerificationError('number_mismatch', 'the number does not match; the challenge is denied');
  return { status };
}

/** Refused signatures (bad, stale, replayed) of a known device reach the anomaly service as events. */
export async function reportRejectedRequest(deps: VerificationDeps, rejection: DeviceRejection): Promise<void> {
  if (rejection.device === null) return;
  if (!(await deps.rejections.allow(rejection.device.deviceId, rejection.reason))) return;
  const challengeId = /\/v1\/device\/challenges\/([^/?]+)/.exec(rejection.url)?.[1] ?? null;
  await deps.events.emit('vigil.response.rejected', {
    tenantId: rejection.device.tenantId, userId: rejection.device.userId, challengeId: challengeId === 'pending' ? null : challengeId,
    deviceId: rejection.device.deviceId, reason: rejection.reason, sourceIp: rejection.sourceIp, rejectedAt: deps.now().toISOString(),
  });
}
