import Type from 'typebox';
import { Nullable, UserId } from '@vigil/events';
import { callerOf, type VigilApp } from '@vigil/http';
import type { VerificationDeps } from '../use-cases/deps.ts';
import { verifyTotp } from '../use-cases/verify-totp.ts';

/** CONTRACT §6: TOTP verification for the login system. */
export function totpRoutes(app: VigilApp, deps: VerificationDeps): void {
  app.post('/v1/totp/verify', {
    config: { scope: 'auth', problems: ['no_totp', 'throttled'] },
    schema: {
      body: Type.Object({ userId: UserId, code: Type.String({ minLength: 1, maxLength: 16 }) }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          valid: Type.Boolean(), reason: Nullable(Type.Enum(['invalid_code', 'reused_code'])), verificationId: Nullable(Type.String()),
        }, { additionalProperties: false }),
      },
    },
  }, async (request) => verifyTotp(deps, { tenantId: callerOf(request).tenantId, userId: request.body.userId, code: request.body.code }));
}
