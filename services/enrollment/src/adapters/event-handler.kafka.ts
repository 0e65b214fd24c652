import { ReadersBehindError, type EventHandler } from '@vigil/kafka';
import type { EnrollmentDeps } from '../use-cases/deps.ts';
import { dropInvalidPushToken } from '../use-cases/drop-invalid-push-token.ts';
import { recordProof } from '../use-cases/record-proof.ts';
import { recordPushSuspension } from '../use-cases/record-push-suspension.ts';

/**
 * What the enrollment service learns from other services: recent successful verifications (proofs for replacing a
 * device), dead push tokens (switch to poll mode) and push suspensions (shown in GET factors).
 */
export function enrollmentEventHandler(deps: EnrollmentDeps): EventHandler {
  return async (event, context) => {
    switch (event.type) {
      case 'vigil.challenge.approved':
        await recordProof(deps, { tenantId: event.data.tenantId, userId: event.data.userId, proofId: event.data.challengeId, at: new Date(event.data.decidedAt) });
        return;
      case 'vigil.totp.verified':
        await recordProof(deps, { tenantId: event.data.tenantId, userId: event.data.userId, proofId: event.data.verificationId, at: new Date(event.data.verifiedAt) });
        return;
      case 'vigil.notification.token-invalid': {
        const { switchedToPoll } = await dropInvalidPushToken(deps, { tenantId: event.data.tenantId, deviceId: event.data.deviceId }).catch((error: unknown) => {
          // Published is enough here: nobody waits on this change, and readers catch up by themselves.
          if (error instanceof ReadersBehindError) return { switchedToPoll: true };
          throw error;
        });
        if (switchedToPoll) context.log.info({ deviceId: event.data.deviceId }, 'push token invalid: device switched to poll mode');
        return;
      }
      case 'vigil.user.push-suspended':
        await recordPushSuspension(deps, { tenantId: event.data.tenantId, userId: event.data.userId, until: new Date(event.data.until) });
        return;
      case 'vigil.user.push-restored':
        await recordPushSuspension(deps, { tenantId: event.data.tenantId, userId: event.data.userId, until: null });
        return;
      default:
        return;
    }
  };
}
