import { deliveryNotice, type ChallengePayload } from '@vigil/device-sdk';

/**
 * How `pending` prints a challenge: one line with its id, expiry, what to type and its context, then — for a quiet
 * challenge — the warning that the user was not notified of it.
 */
export function challengeLines(payload: ChallengePayload): string[] {
  const notice = deliveryNotice(payload);
  return [
    `challenge ${payload.challengeId}  expires ${payload.expiresAt}  type the ${payload.numberMatchDigits}-digit number shown at sign-in  context ${JSON.stringify(payload.context)}`,
    ...(notice ? [`  ! ${notice}`] : []),
  ];
}
