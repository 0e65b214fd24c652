/** The device's view of a challenge, as the server signs it (CONTRACT §6). It never carries the number to match. */
export interface ChallengePayload {
  challengeId: string;
  tenantId: string;
  userId: string;
  deviceId: string;
  createdAt: string;
  expiresAt: string;
  numberMatchDigits: number;
  /** Whatever the tenant's login system sent (application, ip, location…): show it as text only. */
  context: Record<string, unknown>;
  /**
   * `quiet` when the phone was not woken for it (the user's push budget was spent or a cool-down was on): the app
   * lists it only when opened. Absent from servers older than this field, which means `push`.
   */
  delivery?: 'push' | 'quiet';
}

/**
 * Shown with a quiet challenge. A sign-in the user was not told about is most often an attacker's: whoever opens the
 * app for another reason must not approve it out of habit.
 */
export const QUIET_DELIVERY_NOTICE =
  'You were not notified of this sign-in because of unusual activity on your account. Approve it only if you are signing in right now.';

/** The line to show with a challenge about how it reached the device, or null when it was an ordinary push. */
export function deliveryNotice(payload: Pick<ChallengePayload, 'delivery'>): string | null {
  return payload.delivery === 'quiet' ? QUIET_DELIVERY_NOTICE : null;
}

/** Newest first, as the server lists them (and as a person expects: the sign-in they just started on top). */
export function newestFirst<T extends Pick<ChallengePayload, 'createdAt'>>(payloads: readonly T[]): T[] {
  return [...payloads].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
}
