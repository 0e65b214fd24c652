import { createHttpApp, type ReplayGuard, type VigilApp } from '@vigil/http';
import type { AppBasics } from '@vigil/runtime';
import { deviceRoutes } from './routes/device-routes.ts';
import { totpRoutes } from './routes/totp-routes.ts';
import type { VerificationDeps } from './use-cases/deps.ts';
import { reportRejectedRequest } from './use-cases/report-rejected-request.ts';

export interface AppDeps extends AppBasics {
  replayGuard: ReplayGuard;
  verification: VerificationDeps;
}

/** The verification service's HTTP surface (CONTRACT §6). */
export function buildApp(deps: AppDeps): VigilApp {
  return createHttpApp({
    service: 'verification',
    logger: deps.log,
    apiKeys: deps.apiKeys,
    readiness: deps.readiness,
    metrics: deps.metrics, ...(deps.transport ? { transport: deps.transport } : {}),
    deviceAuth: {
      devices: { findActive: (deviceId) => deps.verification.factors.device(deviceId) },
      replayGuard: deps.replayGuard,
      onRejected: (rejection) => reportRejectedRequest(deps.verification, rejection),
    },
    routes: (scope) => {
      deviceRoutes(scope, deps.verification);
      totpRoutes(scope, deps.verification);
    },
  });
}
