import { draft, type EventData } from '@vigil/events';
import type { DeviceChannel } from '../domain/factor-types.ts';
import { PushSendError, type PushSender } from '../domain/ports.ts';
import { classifyFailure, nextDelayMs, pushMessage } from '../domain/push-message.ts';
import type { NotificationDeps } from './deps.ts';

/** A new challenge, as its event announced it. */
export type DispatchPush = EventData<'vigil.challenge.created'>;

export type DispatchOutcome = 'sent' | 'failed' | 'token_invalid' | 'poll' | 'quiet' | 'duplicate' | 'no_device' | 'expired';

/** FCM rounds a TTL down to whole seconds: a push with less left than this is not sent. */
const MIN_PUSH_TTL_MS = 1_000;

/** How long past the challenge's expiry its claim (then the outcome that replaces it) is kept. */
const CLAIM_MARGIN_MS = 3_600_000;

/** One push on its way: the challenge, the device's token and the sender. */
interface Push {
  created: DispatchPush;
  deviceId: string;
  token: string;
  sender: PushSender;
  expiresAt: Date;
}

/** Wakes the user's phone for a new challenge: FCM for FCM devices, nothing for poll-mode ones. */
export async function dispatchPush(deps: NotificationDeps, command: DispatchPush): Promise<DispatchOutcome> {
  // A quiet challenge wakes nobody (CONTRACT §5 v2): the phone finds it when the app is opened.
  if (command.delivery === 'quiet') return 'quiet';
  const device = await challengedDevice(deps, command);
  if (device === null) return 'no_device';
  if (device.channel === 'poll' || device.pushToken === null || deps.sender === null) return 'poll';
  const expiresAt = new Date(command.expiresAt);
  // Under a second left, FCM would be told ttl 0 ("deliver now or drop"): the challenge is as good as expired. Retries
  // keep the same second in hand (nextDelayMs).
  if (expiresAt.getTime() - deps.now().getTime() < MIN_PUSH_TTL_MS) return 'expired';
  // Claimed before FCM is called: at most one send per challenge, even across a crash mid-send (ADR 0012).
  if (!(await deps.ledger.claim(command.challengeId, expiresAt.getTime() - deps.now().getTime() + CLAIM_MARGIN_MS))) return 'duplicate';
  return sendUntilDone(deps, { created: command, deviceId: device.deviceId, token: device.pushToken, sender: deps.sender, expiresAt });
}

/** The challenged device as this instance projects it, or null if the user's device is another one (or none). */
async function challengedDevice(deps: NotificationDeps, created: DispatchPush): Promise<DeviceChannel | null> {
  const user = { tenantId: created.tenantId, userId: created.userId };
  let device = await deps.channels.get(user);
  if ((device === null || device.deviceId !== created.deviceId) && !deps.factorsCaughtUp.open) {
    // The device may be one this instance has not applied yet: wait (bounded) for the catch-up, then look again.
    await deps.factorsCaughtUp.ready().catch(() => undefined);
    device = await deps.channels.get(user);
  }
  return device === null || device.deviceId !== created.deviceId ? null : device;
}

async function sendUntilDone(deps: NotificationDeps, push: Push): Promise<'sent' | 'failed' | 'token_invalid'> {
  const { challengeId, tenantId } = push.created;
  for (let attempt = 1; ; attempt += 1) {
    let messageId: string;
    try {
      messageId = await push.sender.send(pushMessage({ challengeId, tenantId, expiresAt: push.expiresAt }, push.token, deps.now()));
    } catch (error) {
      const failure = error instanceof PushSendError ? error : new PushSendError('messaging/unknown-error', String(error), null);
      const next = await failedAttempt(deps, push, attempt, failure);
      if ('outcome' in next) return next.outcome;
      await deps.sleep(next.retryInMs);
      continue;
    }
    // The push reached FCM: nothing that fails from here on may send it again (the claim holds), and what is recorded
    // is recorded with its event.
    const sentAt = deps.now();
    await deps.ledger.finish(challengeId, draft('vigil.notification.sent', {
      ...announced(push), attempts: attempt, latencyMs: sentAt.getTime() - createdAt(push), messageId, sentAt: sentAt.toISOString(),
    }));
    return 'sent';
  }
}

/** After a failed send: retry (in how long), or the outcome recorded with its event. */
async function failedAttempt(
  deps: NotificationDeps, push: Push, attempt: number, failure: PushSendError,
): Promise<{ retryInMs: number } | { outcome: 'failed' | 'token_invalid' }> {
  const { created } = push;
  const kind = classifyFailure(failure.code);
  const failedAt = deps.now();
  if (kind === 'token_invalid') {
    await deps.ledger.finish(created.challengeId, draft('vigil.notification.token-invalid', {
      tenantId: created.tenantId, userId: created.userId, deviceId: push.deviceId, challengeId: created.challengeId, errorCode: failure.code, detectedAt: failedAt.toISOString(),
    }));
    return { outcome: 'token_invalid' };
  }
  const delay = kind === 'retryable' ? nextDelayMs(attempt, failure.retryAfterMs, push.expiresAt.getTime() - failedAt.getTime(), deps.retry) : null;
  if (delay !== null) return { retryInMs: delay };
  await deps.ledger.finish(created.challengeId, draft('vigil.notification.failed', {
    ...announced(push), attempts: attempt, latencyMs: failedAt.getTime() - createdAt(push), errorCode: failure.code, retryable: kind === 'retryable', failedAt: failedAt.toISOString(),
  }));
  return { outcome: 'failed' };
}

const announced = (push: Push) => ({ tenantId: push.created.tenantId, userId: push.created.userId, challengeId: push.created.challengeId, deviceId: push.deviceId });
const createdAt = (push: Push) => new Date(push.created.createdAt).getTime();
