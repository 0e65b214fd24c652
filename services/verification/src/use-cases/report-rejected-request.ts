import type { DeviceRejection } from '@vigil/http';
import type { VerificationDeps } from './deps.ts';

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
