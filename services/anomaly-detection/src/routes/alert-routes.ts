import Type from 'typebox';
import { UserId } from '@vigil/events';
import { callerOf, errors, type VigilApp } from '@vigil/http';
import type { AnomalyDeps } from '../use-cases/deps.ts';
import { liftSuspension } from '../use-cases/lift-suspension.ts';

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
    },
  }, async (request) => {
    const { userId, since, limit } = request.query;
    try {
      const alerts = await deps.alerts.list({
        tenantId: callerOf(request).tenantId, limit: limit ?? 50, ...(userId ? { userId } : {}), ...(since ? { since: new Date(since) } : {}),
      });
      return { alerts };
    } catch (error) {
      request.log.warn({ err: error }, 'alert query failed');
      throw errors.unavailable('the alert store is unavailable');
    }
  });

  app.delete('/v1/users/:userId/push-suspension', {
    config: { scope: 'admin' },
    schema: { params: Type.Object({ userId: UserId }, { additionalProperties: false }) },
  }, async (request, reply) => {
    await liftSuspension(deps, { tenantId: callerOf(request).tenantId, userId: request.params.userId }).catch(() => {
      throw errors.unavailable('the event bus is unavailable');
    });
    return reply.status(204).send();
  });
}
