import Type from 'typebox';
import { deviceOf, NoContent, type VigilApp } from '@vigil/http';
import type { EnrollmentDeps } from '../use-cases/deps.ts';
import { revokePushDevice } from '../use-cases/revoke-push-device.ts';
import { updatePushToken } from '../use-cases/update-push-token.ts';
import { PushToken } from './schemas.ts';

/** Routes a device calls about itself, signed with its key (CONTRACT §3, §4). */
export function deviceRoutes(app: VigilApp, deps: EnrollmentDeps): void {
  app.put('/v1/device/push-token', {
    config: { deviceAuth: 'device' },
    schema: { body: Type.Object({ pushToken: PushToken }, { additionalProperties: false }), response: { 204: NoContent } },
  }, async (request, reply) => {
    await updatePushToken(deps, { deviceId: deviceOf(request).deviceId, pushToken: request.body.pushToken });
    return reply.status(204).send(null);
  });

  app.delete('/v1/device', { config: { deviceAuth: 'device' }, schema: { response: { 204: NoContent } } }, async (request, reply) => {
    const device = deviceOf(request);
    await revokePushDevice(deps, { tenantId: device.tenantId, userId: device.userId, deviceId: device.deviceId, by: 'self' });
    return reply.status(204).send(null);
  });
}
