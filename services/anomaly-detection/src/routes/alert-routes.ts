import Type from 'typebox';
import { FatigueAlert, UserId } from '@vigil/events';
import { NoContent, callerOf, type VigilApp } from '@vigil/http';
import type { AnomalyDeps } from '../use-cases/deps.ts';
import { liftSuspension } from '../use-cases/lift-suspension.ts';
import { listAlerts } from '../use-cases/list-alerts.ts';

/** CONTRACT §7: alerts for SOC tooling, and the admin's way to lift a suspension or cool-down. */
export function alertRoutes(app: VigilApp, deps: AnomalyDeps): void {
  app.get('/v1/alerts', {
    config: { scope: 'soc' },
    schema: {
      querystring: Type.Object({
        userId: Type.Optional(UserId),
        since: Type.Optional(Type.String({ format: 'date-time' })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ alerts: Type.Array(FatigueAlert, { description: 'newest first' }) }, { additionalProperties: false }) },
    },
  }, async (request) => {
    const { userId, since, limit } = request.query;
    return listAlerts(deps, {
      tenantId: callerOf(request).tenantId, limit: limit ?? 50, ...(userId ? { userId } : {}), ...(since ? { since: new Date(since) } : {}),
    });
  });

  app.delete('/v1/users/:userId/push-suspension', {
    config: { scope: 'admin' },
    schema: { params: Type.Object({ userId: UserId }, { additionalProperties: false }), response: { 204: NoContent } },
  }, async (request, reply) => {
    await liftSuspension(deps, { tenantId: callerOf(request).tenantId, userId: request.params.userId });
    return reply.status(204).send(null);
  });
}
