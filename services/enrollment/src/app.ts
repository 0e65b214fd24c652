import { createHttpApp, type ReplayGuard, type VigilApp } from '@vigil/http';
import type { AppBasics } from '@vigil/runtime';
import type { EnrollmentDeps } from './use-cases/deps.ts';
import { deviceRoutes } from './routes/device-routes.ts';
import { factorRoutes } from './routes/factor-routes.ts';
import { pushEnrollmentRoutes } from './routes/push-enrollment-routes.ts';

export interface AppDeps extends AppBasics {
  replayGuard: ReplayGuard;
  enrollment: EnrollmentDeps;
}

/** The enrollment service's HTTP surface (CONTRACT §4). */
export function buildApp(deps: AppDeps): VigilApp {
  return createHttpApp({
    service: 'enrollment',
    logger: deps.log,
    apiKeys: deps.apiKeys,
    readiness: deps.readiness,
    metrics: deps.metrics, ...(deps.transport ? { transport: deps.transport } : {}),
    deviceAuth: {
      devices: {
        findActive: async (deviceId) => {
          const device = await deps.enrollment.devices.findActiveById(deviceId);
          return device && { tenantId: device.tenantId, userId: device.userId, deviceId: device.deviceId, publicKey: device.publicKey };
        },
      },
      replayGuard: deps.replayGuard,
    },
    routes: (scope) => {
      pushEnrollmentRoutes(scope, deps.enrollment);
      deviceRoutes(scope, deps.enrollment);
      factorRoutes(scope, deps.enrollment);
    },
  });
}
