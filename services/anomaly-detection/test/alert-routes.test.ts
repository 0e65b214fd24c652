import { afterEach, describe, expect, it } from 'vitest';
import { createMetricsRegistry, parseApiKeys, staticApiKeys, type VigilApp } from '@vigil/http';
import { createLogger } from '@vigil/logger';
import { buildApp } from '../src/app.ts';
import { newAnomalyTestDeps, type AnomalyTestDeps } from './use-case-doubles.ts';

const SOC = 'soc-key-for-tests';
const ADMIN = 'admin-key-for-tests';
const apps: VigilApp[] = [];

// In-process (fastify inject): what the routes hand the use cases, and what leaves when a use case fails.
function appWith(deps: AnomalyTestDeps): VigilApp {
  const app = buildApp({
    log: createLogger({ name: 'anomaly-routes-test', level: 'silent' }), apiKeys: staticApiKeys(parseApiKeys(`acme:soc:${SOC},acme:admin:${ADMIN}`)),
    readiness: [], metrics: createMetricsRegistry('anomaly-detection'), anomaly: deps,
  });
  apps.push(app);
  return app;
}
const as = (key: string) => ({ authorization: `Bearer ${key}` });

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

describe('GET /v1/alerts', () => {
  it('lists the caller\'s tenant\'s alerts with its filters', async () => {
    const deps = newAnomalyTestDeps();
    deps.alerts.list.mockResolvedValue([]);
    const response = await appWith(deps).inject({ method: 'GET', url: '/v1/alerts?userId=alice&since=2026-12-01T00:00:00Z&limit=10', headers: as(SOC) });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ alerts: [] });
    expect(deps.alerts.list).toHaveBeenCalledExactlyOnceWith({ tenantId: 'acme', userId: 'alice', since: new Date('2026-12-01T00:00:00Z'), limit: 10 });
  });

  it('answers 503 unavailable while the alert store is down', async () => {
    const deps = newAnomalyTestDeps();
    deps.alerts.list.mockRejectedValue(Object.assign(new Error('no server'), { name: 'MongoServerSelectionError' }));
    const response = await appWith(deps).inject({ method: 'GET', url: '/v1/alerts', headers: as(SOC) });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ code: 'unavailable' });
  });

  it('answers a bug as a 500, not as an outage', async () => {
    const deps = newAnomalyTestDeps();
    deps.alerts.list.mockRejectedValue(new TypeError('cannot read properties of undefined'));
    expect((await appWith(deps).inject({ method: 'GET', url: '/v1/alerts', headers: as(SOC) })).statusCode).toBe(500);
  });
});

describe('DELETE /v1/users/:userId/push-suspension', () => {
  it('announces push-restored and answers 204', async () => {
    const deps = newAnomalyTestDeps();
    deps.events.emit.mockResolvedValue();
    const response = await appWith(deps).inject({ method: 'DELETE', url: '/v1/users/alice/push-suspension', headers: as(ADMIN) });
    expect(response.statusCode).toBe(204);
    expect(deps.events.emit).toHaveBeenCalledExactlyOnceWith('vigil.user.push-restored', expect.objectContaining({ tenantId: 'acme', userId: 'alice', by: 'admin' }));
  });

  it('answers 503 unavailable while the event bus is down', async () => {
    const deps = newAnomalyTestDeps();
    deps.events.emit.mockRejectedValue(Object.assign(new Error('broker unreachable'), { name: 'KafkaJSConnectionError' }));
    const response = await appWith(deps).inject({ method: 'DELETE', url: '/v1/users/alice/push-suspension', headers: as(ADMIN) });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ code: 'unavailable' });
  });
});
