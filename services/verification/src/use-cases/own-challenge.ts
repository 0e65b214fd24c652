import type { Device } from '@vigil/http';
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

export type RejectionReason = 'wrong_device' | 'number_mismatch' | 'expired' | 'already_decided';

export interface DeviceAttempt {
  device: Device;
  challengeId: string;
  sourceIp: string;
}

/** A refused device answer reaches the anomaly service (within the device's rejection budget: a flood is summarised). */
export async function recordRejection(deps: VerificationDeps, attempt: DeviceAttempt, reason: RejectionReason): Promise<void> {
  const { device } = attempt;
  if (!(await deps.rejections.allow(device.deviceId, reason))) return;
  await deps.events.emit('vigil.response.rejected', {
    tenantId: device.tenantId, userId: device.userId, challengeId: attempt.challengeId, deviceId: device.deviceId, reason,
    sourceIp: attempt.sourceIp, rejectedAt: deps.now().toISOString(),
  });
}

/** The device's own challenge; another user's or device's answers 404 as if it did not exist. */
export async function ownChallenge(deps: VerificationDeps, attempt: DeviceAttempt): Promise<ProjectedChallenge> {
  const { device } = attempt;
  const challenge = await projected(deps, attempt.challengeId);
  if (challenge === null) throw new VerificationError('not_found', 'no such challenge');
  if (challenge.tenantId !== device.tenantId || challenge.userId !== device.userId || challenge.deviceId !== device.deviceId) {
    await recordRejection(deps, attempt, 'wrong_device');
    throw new VerificationError('not_found', 'no such challenge');
  }
  return challenge;
}
