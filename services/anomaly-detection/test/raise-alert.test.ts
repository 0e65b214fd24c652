import { describe, expect, it } from 'vitest';
import { draft } from '@vigil/events';
import { EventsPendingError } from '@vigil/kafka';
import { openedAlert } from '../src/domain/alert.ts';
import type { Detection } from '../src/domain/detections.ts';
import { raiseAlert } from '../src/use-cases/raise-alert.ts';
import { newAnomalyTestDeps } from './use-case-doubles.ts';

const NOW = Date.parse('2026-12-06T10:00:00.000Z');
const suspension = { action: 'suspend_push' as const, until: new Date(NOW + 3_600_000).toISOString() };

function detection(overrides: Partial<Detection> = {}): Detection {
  return {
    tenantId: 'acme', userId: 'alice', rule: 'fatigue_acceptance', count: 3, windowMs: 900_000, at: new Date(NOW), firstSeenAt: new Date(NOW - 300_000),
    challengeIds: ['c-1'], sourceIps: ['203.0.113.7'], mitigation: suspension, dedupKey: 'acme:alice:fatigue_acceptance', ...overrides,
  };
}

describe('raising an alert', () => {
  it('opens it under a fresh id when its dedup key is new, with the suspension it opens', async () => {
    const deps = newAnomalyTestDeps();
    deps.dedup.claim.mockResolvedValue({ alertId: 'a-1', first: true });
    deps.alerts.insert.mockResolvedValue(true);
    const { alert, delivered } = await raiseAlert(deps, { detection: detection() });
    expect(alert).toMatchObject({ alertId: 'a-1', status: 'open', severity: 'critical', mitigation: suspension });
    expect(delivered).toBe(true);
    expect(deps.dedup.claim).toHaveBeenCalledExactlyOnceWith({ dedupKey: 'acme:alice:fatigue_acceptance', ttlMs: 900_000 });
    expect(deps.alerts.insert.mock.calls[0]?.[1].map((event) => event.type)).toEqual(['vigil.fatigue.alert', 'vigil.user.push-suspended']);
    expect(deps.alerts.find).not.toHaveBeenCalled();
  });

  it('updates the alert a detection of the same key opened, without a second suspension', async () => {
    const deps = newAnomalyTestDeps();
    const opened = openedAlert(detection(), 'a-1');
    deps.dedup.claim.mockResolvedValue({ alertId: 'a-1', first: false });
    deps.alerts.find.mockResolvedValue(opened);
    deps.alerts.update.mockResolvedValue();
    const { alert } = await raiseAlert(deps, { detection: detection({ count: 4, at: new Date(NOW + 60_000) }) });
    expect(alert).toMatchObject({ alertId: 'a-1', status: 'updated', count: 4, mitigation: suspension });
    expect(deps.alerts.update).toHaveBeenCalledExactlyOnceWith(alert, [draft('vigil.fatigue.alert', alert)]);
  });

  it('opens the alert when the instance that claimed its key died before storing it', async () => {
    const deps = newAnomalyTestDeps();
    deps.dedup.claim.mockResolvedValue({ alertId: 'a-1', first: false });
    deps.alerts.find.mockResolvedValue(null);
    deps.alerts.insert.mockResolvedValue(true);
    expect((await raiseAlert(deps, { detection: detection() })).alert).toMatchObject({ alertId: 'a-1', status: 'open' });
  });

  it('updates the alert instead when another try stored it first', async () => {
    const deps = newAnomalyTestDeps();
    const opened = openedAlert(detection(), 'a-1');
    deps.dedup.claim.mockResolvedValue({ alertId: 'a-1', first: false });
    deps.alerts.find.mockResolvedValueOnce(null).mockResolvedValueOnce(opened);
    deps.alerts.insert.mockResolvedValue(false);
    deps.alerts.update.mockResolvedValue();
    expect((await raiseAlert(deps, { detection: detection() })).alert).toMatchObject({ alertId: 'a-1', status: 'updated' });
  });

  it('fails when another try stored the alert but it cannot be found', async () => {
    const deps = newAnomalyTestDeps();
    deps.dedup.claim.mockResolvedValue({ alertId: 'a-1', first: false });
    deps.alerts.find.mockResolvedValue(null);
    deps.alerts.insert.mockResolvedValue(false);
    await expect(raiseAlert(deps, { detection: detection() })).rejects.toThrow('alert a-1');
    expect(deps.alerts.update).not.toHaveBeenCalled();
  });

  it('answers undelivered when an update is stored but Kafka has not acknowledged its event', async () => {
    const deps = newAnomalyTestDeps();
    deps.dedup.claim.mockResolvedValue({ alertId: 'a-1', first: false });
    deps.alerts.find.mockResolvedValue(openedAlert(detection(), 'a-1'));
    deps.alerts.update.mockRejectedValue(new EventsPendingError(new Error('broker down')));
    expect(await raiseAlert(deps, { detection: detection() })).toMatchObject({ alert: { status: 'updated' }, delivered: false });
  });

  it('propagates any other failure of the store', async () => {
    const deps = newAnomalyTestDeps();
    const down = Object.assign(new Error('pool cleared'), { name: 'MongoPoolClearedError' });
    deps.dedup.claim.mockResolvedValue({ alertId: 'a-1', first: true });
    deps.alerts.insert.mockRejectedValue(down);
    await expect(raiseAlert(deps, { detection: detection() })).rejects.toBe(down);
  });
});
