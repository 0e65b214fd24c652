import type { Device } from '@vigil/http';
import type { SignedChallenge } from '../domain/ports.ts';
import { VerificationError } from '../domain/verification-error.ts';
import type { VerificationDeps } from './deps.ts';

export interface ListPending {
  device: Device;
  /** How long to wait for a new challenge when there is none; the route's WaitSeconds bounds it (CONTRACT §6). */
  waitMs: number;
  /** Aborted when the client went away: the wait ends at once. */
  gone?: AbortSignal;
}

/**
 * Poll mode: the device's pending challenges, waiting for a new one when there is none. A wait takes one of the
 * device's few long-poll places (CONTRACT §6 v2) and ends at once when `gone` aborts.
 */
export async function listPending(deps: VerificationDeps, command: ListPending): Promise<{ challenges: SignedChallenge[] }> {
  const { device, waitMs, gone } = command;
  let pending = await deps.challenges.pendingFor(device.deviceId, deps.now());
  if (pending.length === 0 && waitMs > 0) {
    const place = await deps.longPolls.take(device.deviceId, waitMs);
    if (!place.taken) throw new VerificationError('throttled', 'too many long polls for this device or this instance', { retryAfterMs: place.retryAfterMs });
    // Ended when the answer is made, however it is made: no timer or waiter outlives its request.
    const answered = new AbortController();
    try {
      const woken = deps.newChallenges.wait(device.deviceId, waitMs, gone ? AbortSignal.any([gone, answered.signal]) : answered.signal);
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
