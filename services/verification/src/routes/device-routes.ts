import Type from 'typebox';
import { deviceOf, type VigilApp } from '@vigil/http';
import type { VerificationDeps } from '../use-cases/deps.ts';
import { listPending, readDeviceChallenge, respond } from '../use-cases/device-challenges.ts';
import { answer } from './answer.ts';

const ChallengeParams = Type.Object({ challengeId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9-]+$' }) }, { additionalProperties: false });

/** CONTRACT §6 device API, every route signed by the device's key. */
export function deviceRoutes(app: VigilApp, deps: VerificationDeps): void {
  app.get('/v1/device/challenges/pending', {
    config: { deviceAuth: 'device' },
    schema: { querystring: Type.Object({ waitSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 30 })) }, { additionalProperties: false }) },
  }, async (request, reply) => {
    // A long poll whose client goes away is released at once (CONTRACT §6 v2): its place, its timer, its waiter.
    const gone = new AbortController();
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) gone.abort();
    });
    return answer(() => listPending(deps, deviceOf(request), (request.query.waitSeconds ?? 0) * 1000, gone.signal));
  });

  app.get('/v1/device/challenges/:challengeId', { config: { deviceAuth: 'device' }, schema: { params: ChallengeParams } }, async (request) =>
    // GET answers 410 for a decided challenge too (CONTRACT §6); POST answers 409.
    answer(() => readDeviceChallenge(deps, deviceOf(request), request.params.challengeId, request.ip), { already_decided: 410 }));

  app.post('/v1/device/challenges/:challengeId/response', {
    config: { deviceAuth: 'device' },
    schema: {
      params: ChallengeParams,
      body: Type.Object({
        decision: Type.Enum(['approve', 'deny', 'report']),
        numberMatch: Type.Optional(Type.String({ minLength: 1, maxLength: 8, pattern: '^[0-9]+$' })),
      }, { additionalProperties: false }),
    },
  }, async (request) => answer(() => respond(deps, deviceOf(request), request.params.challengeId, {
    decision: request.body.decision,
    sourceIp: request.ip,
    ...(request.body.numberMatch === undefined ? {} : { numberMatch: request.body.numberMatch }),
  })));
}
