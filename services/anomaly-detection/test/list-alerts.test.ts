import { describe, expect, it } from 'vitest';
import { openedAlert } from '../src/domain/alert.ts';
import { listAlerts } from '../src/use-cases/list-alerts.ts';
import { newAnomalyTestDeps } from './use-case-doubles.ts';

describe('listing alerts', () => {
  it('asks the store for the tenant\'s alerts with the caller\'s filters', async () => {
    const deps = newAnomalyTestDeps();
    const alert = openedAlert({
      tenantId: 'acme', userId: 'alice', rule: 'push_burst', count: 5, windowMs: 600_000, at: new Date(), firstSeenAt: new Date(),
      challengeIds: [], sourceIps: [], mitigation: null, dedupKey: 'acme:alice:push_burst',
    }, 'a-1');
    deps.alerts.list.mockResolvedValue([alert]);
    const since = new Date('2026-12-01T00:00:00.000Z');
    expect(await listAlerts(deps, { tenantId: 'acme', userId: 'alice', since, limit: 10 })).toEqual({ alerts: [alert] });
    expect(deps.alerts.list).toHaveBeenCalledExactlyOnceWith({ tenantId: 'acme', userId: 'alice', since, limit: 10 });
  });
});
