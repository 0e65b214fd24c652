import Type from 'typebox';
import { UserId } from '@vigil/events';
import { callerOf, type VigilApp } from '@vigil/http';
import type { VerificationDeps } from '../use-cases/deps.ts';
import { verifyTotp } from '../use-cases/verify-totp.ts';
import { answer } from './answer.ts';

export function totpRoutes(app: VigilApp, deps: VerificationDeps): void {
  app.post('/v1/totp/verify', {
    config: { scope: 'auth' },
    schema: { body: Type.Object({ userId: UserId, code: Type.String({ minLength: 1, maxLength: 16 }) }, { additionalProperties: false }) },
  }, async (request) => answer(() => verifyTotp(deps, { tenantId: callerOf(request).tenantId, userId: request.body.userId }, request.body.code)));
}
