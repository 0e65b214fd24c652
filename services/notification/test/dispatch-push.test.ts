import { describe, expect, it } from 'vitest';
import { PushSendError } from '../src/domain/ports.ts';
import { dispatchPush } from '../src/use-cases/dispatch-push.ts';
import { NOW, aChallengeCreated, newNotificationTestDeps, type NotificationTestDeps } from './use-case-doubles.ts';

const ALICE = { tenantId: 'acme', userId: 'alice' };
const FCM_DEVICE = { deviceId: 'device-1', channel: 'fcm', pushToken: 'fcm-token' } as const;

/** An FCM device whose push the ledger lets this dispatch claim. */
function claimable(): NotificationTestDeps {
  const deps = newNotificationTestDeps();
  deps.channels.get.mockResolvedValue(FCM_DEVICE);
  deps.ledger.claim.mockResolvedValue(true);
  deps.ledger.finish.mockResolvedValue(undefined);
  return deps;
}

const finished = (deps: NotificationTestDeps) => deps.ledger.finish.mock.calls.map(([, outcome]) => outcome);

describe('dispatching a push', () => {
  it('claims the challenge, sends one wake-up to the device\'s token and records it as sent', async () => {
    const deps = claimable();
    deps.sender.send.mockResolvedValue('projects/p/messages/1');

    await expect(dispatchPush(deps, aChallengeCreated())).resolves.toBe('sent');

    expect(deps.ledger.claim).toHaveBeenCalledWith('challenge-1', 60_000 + 3_600_000);
    expect(deps.sender.send).toHaveBeenCalledWith(expect.objectContaining({ token: 'fcm-token', data: { type: 'vigil.challenge', challengeId: 'challenge-1', tenantId: 'acme' } }));
    expect(finished(deps)).toEqual([{ type: 'vigil.notification.sent', data: {
      ...ALICE, challengeId: 'challenge-1', deviceId: 'device-1', attempts: 1, latencyMs: 200, messageId: 'projects/p/messages/1', sentAt: NOW.toISOString(),
    } }]);
  });

  it('wakes nobody for a quiet challenge', async () => {
    const deps = newNotificationTestDeps();
    await expect(dispatchPush(deps, aChallengeCreated({ delivery: 'quiet', quietReason: 'cooldown' }))).resolves.toBe('quiet');
  });

  it('sends nothing to a poll-mode device, nor in poll-only mode', async () => {
    const deps = newNotificationTestDeps();
    deps.channels.get.mockResolvedValueOnce({ deviceId: 'device-1', channel: 'poll', pushToken: null });
    await expect(dispatchPush(deps, aChallengeCreated())).resolves.toBe('poll');

    deps.channels.get.mockResolvedValue(FCM_DEVICE);
    await expect(dispatchPush({ ...deps, sender: null }, aChallengeCreated())).resolves.toBe('poll');
  });

  it('sends nothing for a challenge with under a second to live (FCM would round its TTL to 0)', async () => {
    const deps = newNotificationTestDeps();
    deps.channels.get.mockResolvedValue(FCM_DEVICE);
    await expect(dispatchPush(deps, aChallengeCreated({ expiresAt: new Date(NOW.getTime() + 999).toISOString() }))).resolves.toBe('expired');
  });

  it('sends nothing when the user\'s device is another one, once the factors are caught up', async () => {
    const deps = newNotificationTestDeps();
    deps.channels.get.mockResolvedValue({ ...FCM_DEVICE, deviceId: 'device-0' });
    await expect(dispatchPush(deps, aChallengeCreated())).resolves.toBe('no_device');
    expect(deps.channels.get).toHaveBeenCalledTimes(1);
  });

  it('waits for the factors catch-up of a restarted instance before it calls the device unknown', async () => {
    const deps = claimable();
    deps.factorsCaughtUp.open = false;
    deps.factorsCaughtUp.ready.mockResolvedValue(undefined);
    deps.channels.get.mockResolvedValueOnce(null).mockResolvedValue(FCM_DEVICE);
    deps.sender.send.mockResolvedValue('projects/p/messages/1');

    await expect(dispatchPush(deps, aChallengeCreated())).resolves.toBe('sent');
    expect(deps.factorsCaughtUp.ready).toHaveBeenCalledTimes(1);
  });

  it('sends nothing for a challenge another delivery of its event already claimed', async () => {
    const deps = claimable();
    deps.ledger.claim.mockResolvedValue(false);
    await expect(dispatchPush(deps, aChallengeCreated())).resolves.toBe('duplicate');
  });
});

describe('failed sends', () => {
  it('retries what FCM calls retryable after a backoff, and counts the attempts', async () => {
    const deps = claimable();
    deps.sender.send.mockRejectedValueOnce(new PushSendError('messaging/server-unavailable', 'busy', 500)).mockResolvedValue('projects/p/messages/1');

    await expect(dispatchPush(deps, aChallengeCreated())).resolves.toBe('sent');

    expect(deps.sleep).toHaveBeenCalledExactlyOnceWith(expect.any(Number));
    expect(deps.sleep.mock.calls[0]?.[0]).toBeGreaterThanOrEqual(500);
    expect(finished(deps)).toEqual([expect.objectContaining({ type: 'vigil.notification.sent', data: expect.objectContaining({ attempts: 2 }) })]);
  });

  it('records a dead token (for enrollment to switch the device to poll mode) and does not retry', async () => {
    const deps = claimable();
    deps.sender.send.mockRejectedValue(new PushSendError('messaging/registration-token-not-registered', 'gone', null));

    await expect(dispatchPush(deps, aChallengeCreated())).resolves.toBe('token_invalid');

    expect(deps.sender.send).toHaveBeenCalledTimes(1);
    expect(finished(deps)).toEqual([{ type: 'vigil.notification.token-invalid', data: {
      ...ALICE, deviceId: 'device-1', challengeId: 'challenge-1', errorCode: 'messaging/registration-token-not-registered', detectedAt: NOW.toISOString(),
    } }]);
  });

  it('records a permanent failure at once, and a retryable one after the last attempt', async () => {
    const deps = claimable();
    deps.sender.send.mockRejectedValueOnce(new PushSendError('messaging/invalid-argument', 'bad', null));
    await expect(dispatchPush(deps, aChallengeCreated())).resolves.toBe('failed');

    deps.sender.send.mockRejectedValue(new Error('socket hang up'));
    await expect(dispatchPush(deps, aChallengeCreated({ challengeId: 'challenge-2' }))).resolves.toBe('failed');

    expect(deps.sender.send).toHaveBeenCalledTimes(1 + 3);
    expect(finished(deps).map((outcome) => outcome.data)).toEqual([
      expect.objectContaining({ challengeId: 'challenge-1', attempts: 1, errorCode: 'messaging/invalid-argument', retryable: false }),
      expect.objectContaining({ challengeId: 'challenge-2', attempts: 3, errorCode: 'messaging/unknown-error', retryable: true }),
    ]);
  });
});

describe('a dispatch that fails after FCM accepted the push (ADR 0012)', () => {
  it('propagates the failure to record it, and the redelivered event sends nothing again', async () => {
    const deps = claimable();
    deps.sender.send.mockResolvedValue('projects/p/messages/1');
    deps.ledger.finish.mockRejectedValue(new Error('redis down'));
    await expect(dispatchPush(deps, aChallengeCreated())).rejects.toThrow('redis down');

    // The claim made before the send holds: the consumer's retry finds the challenge claimed.
    deps.ledger.claim.mockResolvedValue(false);
    await expect(dispatchPush(deps, aChallengeCreated())).resolves.toBe('duplicate');

    expect(deps.sender.send).toHaveBeenCalledTimes(1);
  });
});
