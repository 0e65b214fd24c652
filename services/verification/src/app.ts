import { createHttpApp, type ApiKeyStore, type ReadinessCheck, type ReplayGuard, type VigilApp } from '@vigil/http';
import type { Logger } from '@vigil/logger';
import type { Registry } from 'prom-client';
import { deviceRoutes } from './routes/device-routes.ts';
import { totpRoutes } from './routes/totp-routes.ts';
import type { VerificationDeps } from './use-cases/deps.ts';
import { reportRejectedRequest } from './use-cases/device-challenges.ts';

export interface AppDeps {
  log: Logger;
  apiKeys: ApiKeyStore;
  readiness: ReadinessCheck[];
  metrics: Registry;
  replayGuard: ReplayGuard;
  verification: VerificationDeps;
}

/** The verification service's HTTP surface (CONTRACT §6). */
export function buildApp(deps: AppDeps): VigilApp {
  const app = createHttpApp({
    service: 'verification',
    logger: deps.log,
    apiKeys: deps.apiKeys,
    readiness: deps.readiness,
    metrics: deps.metrics,
    deviceAuth: {
      devices: { findActive: (deviceId) => deps.verification.factors.device(deviceId) },
      replayGuard: deps.replayGuard,
      onRejected: (rejection) => reportRejectedRequest(deps.verification, rejection),
    },
  });
  deviceRoutes(app, deps.verification);
  totpRoutes(app, deps.verification);
  return app;
}
