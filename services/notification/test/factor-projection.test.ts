import { describe, expect, it } from 'vitest';
import { applyFactorsSnapshot } from '../src/use-cases/apply-factors-snapshot.ts';
import { forgetUserFactors } from '../src/use-cases/forget-user-factors.ts';
import { NOW, newNotificationTestDeps } from './use-case-doubles.ts';

const ALICE = { tenantId: 'acme', userId: 'alice' };

describe('the device channel projection', () => {
  it('keeps the channel and token of the snapshot\'s device, with its version', async () => {
    const deps = newNotificationTestDeps();
    deps.channels.apply.mockResolvedValue(undefined);

    await applyFactorsSnapshot(deps, {
      ...ALICE, version: 7, updatedAt: NOW.toISOString(), totp: null,
      push: { deviceId: 'device-1', publicKey: 'A'.repeat(43), platform: 'android', channel: 'fcm', pushToken: 'tok', deviceName: null, enrolledAt: NOW.toISOString() },
    });
    await applyFactorsSnapshot(deps, { ...ALICE, version: 8, updatedAt: NOW.toISOString(), push: null, totp: null });

    expect(deps.channels.apply.mock.calls).toEqual([
      [ALICE, { deviceId: 'device-1', channel: 'fcm', pushToken: 'tok' }, 7],
      [ALICE, null, 8],
    ]);
  });

  it('forgets the user\'s device when enrollment tombstones the user', async () => {
    const deps = newNotificationTestDeps();
    deps.channels.forget.mockResolvedValue(undefined);

    await forgetUserFactors(deps, ALICE);

    expect(deps.channels.forget).toHaveBeenCalledWith(ALICE);
  });
});
