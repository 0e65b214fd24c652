import { ReadersBehindError, type EventHandler } from '@vigil/kafka';
import type { EnrollmentDeps } from '../use-cases/deps.ts';
import { updatePushToken } from '../use-cases/push-enrollment.ts';

/**
 * What the enrollment service learns from other services: recent successful verifications (proofs for replacing a
 * device), dead push tokens (switch to poll mode) and push suspensions (shown in GET factors).
 */
export function enrollmentEventHandler(deps: EnrollmentDeps): EventHandler {
  return async (event, context) => {
    switch (event.type) {
      case 'vigil.challenge.approved':
        await deps.proofs.record({ tenantId: event.data.tenantId, userId: event.data.userId, proofId: event.data.challengeId, at: new Date(event.data.decidedAt) });
        return;
      case 'vigil.totp.verified':
        await deps.proofs.record({ tenantId: event.data.tenantId, userId: event.data.userId, proofId: event.data.verificationId, at: new Date(event.data.verifiedAt) });
        return;
      case 'vigil.notification.token-invalid': {
        const device = await deps.devices.findActiveById(event.data.deviceId);
        // Only the device the failed token belonged to, and only while it still has a token.
        if (device === null || device.tenantId !== event.data.tenantId || device.pushToken === null) return;
        // Published is enough here: nobody waits on this change, and readers catch up by themselves.
        await updatePushToken(deps, device.deviceId, null).catch((error: unknown) => {
          if (!(error instanceof ReadersBehindError)) throw error;
        });
        context.log.info({ deviceId: device.deviceId }, 'push token invalid: device switched to poll mode');
        return;
      }
      case 'vigil.user.push-suspended':
        await deps.suspensions.set(event.data, new Date(event.data.until));
        return;
      case 'vigil.user.push-restored':
        await deps.suspensions.set(event.data, null);
        return;
      default:
        return;
    }
  };
}
