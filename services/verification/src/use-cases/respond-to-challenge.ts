import { draft, type EventDraft } from '@vigil/events';
import { numberMatches } from '../domain/number-match.ts';
import type { ProjectedChallenge } from '../domain/ports.ts';
import { VerificationError } from '../domain/verification-error.ts';
import type { VerificationDeps } from './deps.ts';
import { ownChallenge, recordRejection, type DeviceAttempt } from './own-challenge.ts';

export interface RespondToChallenge extends DeviceAttempt {
  decision: 'approve' | 'deny' | 'report';
  numberMatch?: string;
}

export type DecidedStatus = 'approved' | 'denied' | 'reported';

const STATUS = { approve: 'approved', deny: 'denied', report: 'reported' } as const;

/** The events that announce the decision, written with it in one step (ADR 0012). */
function announcements(challenge: ProjectedChallenge, command: RespondToChallenge, status: DecidedStatus, mismatch: boolean, now: Date): EventDraft[] {
  const { device } = command;
  const decision = {
    tenantId: challenge.tenantId, userId: challenge.userId, challengeId: command.challengeId, deviceId: device.deviceId, decidedAt: now.toISOString(), context: challenge.context,
  };
  const decided = status === 'approved' ? draft('vigil.challenge.approved', decision)
    : status === 'reported' ? draft('vigil.challenge.reported', decision)
      : draft('vigil.challenge.denied', { ...decision, reason: mismatch ? 'number_mismatch' : 'user_denied' });
  if (!mismatch) return [decided];
  return [decided, draft('vigil.response.rejected', {
    tenantId: device.tenantId, userId: device.userId, challengeId: command.challengeId, deviceId: device.deviceId, reason: 'number_mismatch',
    sourceIp: command.sourceIp, rejectedAt: now.toISOString(),
  })];
}

/** CONTRACT §6 response rules: first decision wins; expired → 410; approve with the wrong number → denied + 422. */
export async function respondToChallenge(deps: VerificationDeps, command: RespondToChallenge): Promise<{ status: DecidedStatus }> {
  const challenge = await ownChallenge(deps, command);
  const mismatch = command.decision === 'approve' && !numberMatches(challenge.numberMatch, command.numberMatch);
  const status = mismatch ? 'denied' : STATUS[command.decision];
  const now = deps.now();
  const outcome = await deps.challenges.decide(command.challengeId, status, now, announcements(challenge, command, status, mismatch, now), mismatch);
  if (outcome === 'expired' || outcome === 'already_decided') {
    await recordRejection(deps, command, outcome);
    throw new VerificationError(outcome, outcome === 'expired' ? 'the challenge has expired' : 'the challenge was already decided');
  }
  if (outcome === 'missing') throw new VerificationError('not_found', 'no such challenge');
  if (mismatch) throw new VerificationError('number_mismatch', 'the number does not match; the challenge is denied');
  return { status };
}
