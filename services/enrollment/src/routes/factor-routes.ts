import Type from 'typebox';
import { callerOf, NoContent, type VigilApp } from '@vigil/http';
import type { EnrollmentDeps } from '../use-cases/deps.ts';
import { getFactors } from '../use-cases/get-factors.ts';
import { confirmTotpEnrollment } from '../use-cases/confirm-totp-enrollment.ts';
import { removeTotp } from '../use-cases/remove-totp.ts';
import { startTotpEnrollment } from '../use-cases/start-totp-enrollment.ts';
import { TotpConfirmedBody, TotpEnrollmentStartedBody, UserFactorsBody, UserParams } from './schemas.ts';

export function factorRoutes(app: VigilApp, deps: EnrollmentDeps): void {
  app.get('/v1/users/:userId/factors', { config: { scope: 'admin' }, schema: { params: UserParams, response: { 200: UserFactorsBody } } }, async (request) =>
    getFactors(deps, { tenantId: callerOf(request).tenantId, userId: request.params.userId }));

  app.post('/v1/users/:userId/totp-enrollments', {
    config: { scope: 'admin' },
    schema: {
      params: UserParams,
      body: Type.Optional(Type.Object({
        issuer: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[^:]+$' })),
        accountName: Type.Optional(Type.String({ minLength: 1, maxLength: 128, pattern: '^[^:]+$' })),
      }, { additionalProperties: false })),
      response: { 201: TotpEnrollmentStartedBody },
    },
  }, async (request, reply) => {
    const result = await startTotpEnrollment(deps, {
      tenantId: callerOf(request).tenantId, userId: request.params.userId,
      ...(request.body?.issuer ? { issuer: request.body.issuer } : {}),
      ...(request.body?.accountName ? { accountName: request.body.accountName } : {}),
    });
    return reply.status(201).send(result);
  });

  app.post('/v1/users/:userId/totp-enrollments/:enrollmentId/confirm', {
    config: { scope: 'admin', problems: ['not_found', 'invalid_code'] },
    schema: {
      params: Type.Object({ userId: UserParams.properties.userId, enrollmentId: Type.String({ minLength: 1, maxLength: 128 }) }, { additionalProperties: false }),
      body: Type.Object({ code: Type.String({ minLength: 1, maxLength: 16 }) }, { additionalProperties: false }),
      response: { 200: TotpConfirmedBody },
    },
  }, async (request) => confirmTotpEnrollment(deps, {
    tenantId: callerOf(request).tenantId, userId: request.params.userId, enrollmentId: request.params.enrollmentId, code: request.body.code,
  }));

  app.delete('/v1/users/:userId/totp', { config: { scope: 'admin' }, schema: { params: UserParams, response: { 204: NoContent } } }, async (request, reply) => {
    await removeTotp(deps, { tenantId: callerOf(request).tenantId, userId: request.params.userId });
    return reply.status(204).send(null);
  });
}
