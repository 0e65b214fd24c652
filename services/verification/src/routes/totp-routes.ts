import { TotpVerdictBody, VerifyTotpBody } from '@vigil/api';
import { callerOf, type VigilApp } from '@vigil/http';
import type { VerificationDeps } from '../use-cases/deps.ts';
import { verifyTotp } from '../use-cases/verify-totp.ts';

/** CONTRACT §6: TOTP verification for the login system. */
export function totpRoutes(app: VigilApp, deps: VerificationDeps): void {
  app.post('/v1/totp/verify', {
    config: { scope: 'auth', problems: ['no_totp', 'throttled'] },
    schema: { body: VerifyTotpBody, response: { 200: TotpVerdictBody } },
  }, async (request) => verifyTotp(deps, { tenantId: callerOf(request).tenantId, userId: request.body.userId, code: request.body.code }));
}
