import { draft, type EventData } from '@vigil/events';

import { PushSendError, type DeviceChannels, type DispatchLedger, type PushSender } from '../domain/ports.ts';
import { classifyFailure, nextDelayMs, pushMessage, type RetryPolicy } from '../domain/push-message.ts';

export interface NotificationDeps {
  channels: DeviceChannels;
  /**
   * Open once this instance has applied the factor changes published before it joined. A challenge and the snapshot
   * of its device travel on different topics: after a restart, the challenge can come first.
   */
  factorsCaughtUp: { readonly open: boolean; ready(): Promise<void> };
  ledger: DispatchLedger;
  /** Null in poll-only mode (no FCM credentials). */
  sender: PushSender | null;
  retry: RetryPolicy;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
}

/** FCM rounds a TTL down to whole seconds: a push with less left than this is not sent. */
export const MIN_PUSH_TTL_MS = 1_000;

export type DispatchOutcome = 'sent' | 'failed' | 'token_invalid' | 'poll' | 'quiet' | 'duplicate' | 'no_device' | 'expired';

/** Wakes the user's phone for a new challenge: FCM for FCM devices, nothing for poll-mode ones. */
export async function dispatchPush(deps: NotificationDeps, created: EventData<'vigil.challenge.created'>): Promise<DispatchOutcome> {
  // A quiet challenge wakes nobody (CONTRACT §5 v2): the phone finds it when the app is opened.
  if (created.delivery === 'quiet') return 'quiet';
  const user = { tenantId: created.tenantId, userId: created.userId };
  const expiresAt = new Date(created.expiresAt);
  const createdAt = new Date(created.createdAt);
  let device = await deps.channels.get(user);
  if ((device === null || device.deviceId !== created.deviceId) && !deps.factorsCaughtUp.open) {
    // The device may be one this instance has not applied yet: wait (bounded) for the catch-up, then look again.
    await deps.factorsCaughtUp.ready().catch(() => undefined);
    device = await deps.channels.get(user);
  }
  if (device === null || device.deviceId !== created.deviceId) return 'no_device';
  if (device.channel === 'poll' || device.pushToken === null || deps.sender === null) return 'poll';
  // Under a second left, FCM would be told ttl 0 ("deliver now or drop"): the challenge is as good as expired. Retries
  // keep the same second in hand (nextDelayMs).
  if (expiresAt.getTime() - deps.now().getTime() < MIN_PUSH_TTL_MS) return 'expired';
  if (!(await deps.ledger.claim(created.challengeId, expiresAt.getTime() - deps.now().getTime() + 3_600_000))) return 'duplicate';

  const base = { ...user, challengeId: created.challengeId, deviceId: device.deviceId };
  for (let attempt = 1; ; attempt += 1) {
    let messageId: string;
    try {
      messageId = await deps.sender.send(pushMessage({ challengeId: created.challengeId, tenantId: created.tenantId, expiresAt }, device.pushToken, deps.now()));
    } catch (error) {
      const failure = error instanceof PushSendError ? error : new PushSendError('messaging/unknown-error', String(error), null);
      const kind = classifyFailure(failure.code);
      const failedAt = deps.now();
      if (kind === 'token_invalid') {
        await deps.ledger.finish(created.challengeId, draft('vigil.notification.token-invalid', {
          ...user, deviceId: device.deviceId, challengeId: created.challengeId, errorCode: failure.code, detectedAt: failedAt.toISOString(),
        }));
        return 'token_invalid';
      }
      const delay = kind === 'retryable' ? nextDelayMs(attempt, failure.retryAfterMs, expiresAt.getTime() - failedAt.getTime(), deps.retry) : null;
      if (delay === null) {
        await deps.ledger.finish(created.challengeId, draft('vigil.notification.failed', {
          ...base, attempts: attempt, latencyMs: failedAt.getTime() - createdAt.getTime(), errorCode: failure.code, retryable: kind === 'retryable', failedAt: failedAt.toISOString(),
        }));
        return 'failed';
      }
      await deps.sleep(delay);
      continue;
    }
    // The push reached FCM: nothing that fails from here on may send it again (the claim above holds), and what is
    // recorded is recorded with its event.
    const sentAt = deps.now();
    await deps.ledger.finish(created.challengeId, draft('vigil.notification.sent', {
      ...base, attempts: attempt, latencyMs: sentAt.getTime() - createdAt.getTime(), messageId, sentAt: sentAt.toISOString(),
    }));
    return 'sent';
  }
}
