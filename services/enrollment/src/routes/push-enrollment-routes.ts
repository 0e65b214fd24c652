import Type from 'typebox';
import { Platform } from '@vigil/events';
import { callerOf, NoContent, type VigilApp } from '@vigil/http';
import type { EnrollmentDeps } from '../use-cases/deps.ts';
import { activateDevice } from '../use-cases/activate-device.ts';
import { revokePushDevice } from '../use-cases/revoke-push-device.ts';
import { startPushEnrollment } from '../use-cases/start-push-enrollment.ts';
import { Base64UrlKey, DeviceActivatedBody, PushEnrollmentStartedBody, PushToken, UserParams } from './schemas.ts';

export function pushEnrollmentRoutes(app: VigilApp, deps: EnrollmentDeps): void {
  app.post('/v1/users/:userId/push-enrollments', {
    config: { scope: 'admin', problems: ['device_already_enrolled'] },
    schema: {
      params: UserParams,
      body: Type.Optional(Type.Object({ replace: Type.Optional(Type.Boolean()), proofId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })) }, { additionalProperties: false })),
      response: { 201: PushEnrollmentStartedBody },
    },
  }, async (request, reply) => {
    const { tenantId } = callerOf(request);
    const result = await startPushEnrollment(deps, {
      tenantId, userId: request.params.userId, replace: request.body?.replace ?? false, proofId: request.body?.proofId ?? null,
    });
    return reply.status(201).send(result);
  });

  app.post('/v1/enrollments/activate', {
    config: { deviceAuth: 'activation', problems: ['activation_code_invalid', 'device_already_enrolled', 'throttled'] },
    schema: {
      body: Type.Object({
        activationCode: Type.String({ minLength: 1, maxLength: 256 }),
        publicKey: Base64UrlKey,
        platform: Platform,
        pushToken: Type.Optional(PushToken),
        deviceName: Type.Optional(Type.String({ maxLength: 128 })),
        appVersion: Type.Optional(Type.String({ maxLength: 64 })),
      }, { additionalProperties: false }),
      response: { 201: DeviceActivatedBody },
    },
  }, async (request, reply) => {
    const body = request.body;
    const result = await activateDevice(deps, {
      activationCode: body.activationCode, publicKey: body.publicKey, platform: body.platform, pushToken: body.pushToken ?? null,
      deviceName: body.deviceName ?? null, appVersion: body.appVersion ?? null, sourceIp: request.ip,
    });
    return reply.status(201).send(result);
  });

  app.delete('/v1/users/:userId/push-device', { config: { scope: 'admin' }, schema: { params: UserParams, response: { 204: NoContent } } }, async (request, reply) => {
    await revokePushDevice(deps, { tenantId: callerOf(request).tenantId, userId: request.params.userId, by: 'admin' });
    return reply.status(204).send(null);
  });
}
