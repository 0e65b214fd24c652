import { describe, expect, it } from 'vitest';
import { liftSuspension } from '../src/use-cases/lift-suspension.ts';
import { newAnomalyTestDeps } from './use-case-doubles.ts';

const alice = { tenantId: 'acme', userId: 'alice' };

describe('lifting a suspension', () => {
  it('announces push-restored by the admin, now', async () => {
    const deps = newAnomalyTestDeps({ now: new Date('2026-12-06T10:00:00.000Z') });
    deps.events.emit.mockResolvedValue();
    expect(await liftSuspension(deps, alice)).toEqual({ restoredAt: '2026-12-06T10:00:00.000Z' });
    expect(deps.events.emit).toHaveBeenCalledExactlyOnceWith('vigil.user.push-restored', { ...alice, restoredAt: '2026-12-06T10:00:00.000Z', by: 'admin' });
  });

  it('fails as the event bus fails: nothing was stored, so the admin repeats', async () => {
    const deps = newAnomalyTestDeps();
    const down = Object.assign(new Error('broker unreachable'), { name: 'KafkaJSConnectionError' });
    deps.events.emit.mockRejectedValue(down);
    await expect(liftSuspension(deps, alice)).rejects.toBe(down);
  });
});
