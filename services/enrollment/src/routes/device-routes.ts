import Type from 'typebox';
import { deviceOf, type VigilApp } from '@vigil/http';
import type { EnrollmentDeps } from '../use-cases/deps.ts';
import { revokePushDevice, updatePushToken } from '../use-cases/push-enrollment.ts';
import { PushToken } from './schemas.ts';

/** Routes a device calls about itself, signed with its key (CONTRACT §3, §4). */
export function deviceRoutes(app: VigilApp, deps: EnrollmentDeps): void {
  app.put('/v1/device/push-token', {
    config: { deviceAuth: 'device' },
    schema: { body: Type.Object({ pushToken: PushToken }, { additionalProperties: false }) },
  }, async (request, reply) => {
    const device = deviceOf(request);
    await updatePushToken(deps, device.deviceId, request.body.pushToken);
    await deps.devices.touch(device.deviceId, deps.now());
    return reply.status(204).send();
  });

  app.delete('/v1/device', { config: { deviceAuth: 'device' } }, async (request, reply) => {
    const device = deviceOf(request);
    await revokePushDevice(deps, { tenantId: device.tenantId, userId: device.userId, deviceId: device.deviceId }, 'self');
    return reply.status(204).send();
  });
}
