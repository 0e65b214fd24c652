import type { UserRef } from '@vigil/events';

// The verification service's own Redis keys (ARCHITECTURE §2).
const user = (ref: UserRef) => `{${ref.tenantId}:${ref.userId}}`;

export const keys = {
  challenge: (challengeId: string) => `verification:c:${challengeId}`,
  pending: (deviceId: string) => `verification:pending:${deviceId}`,
  longPolls: (deviceId: string) => `verification:long-polls:${deviceId}`,
  device: (deviceId: string) => `verification:device:${deviceId}`,
  factors: (ref: UserRef) => `verification:factors:${user(ref)}`,
  totpLastStep: (ref: UserRef) => `verification:totp-step:${user(ref)}`,
  totpFailures: (ref: UserRef) => `verification:totp-failures:${user(ref)}`,
  totpVerified: (ref: UserRef) => `verification:totp-verified:${user(ref)}`,
  totpUnanswered: (ref: UserRef) => `verification:totp-unanswered:${user(ref)}`,
  totpLockouts: (ref: UserRef) => `verification:totp-lockouts:${user(ref)}`,
  totpLock: (ref: UserRef) => `verification:totp-lock:${user(ref)}`,
  newChallengeChannel: 'verification:new-challenge',
  replayNamespace: 'verification',
};
