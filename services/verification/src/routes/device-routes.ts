import Type from 'typebox';
import { WaitSeconds, deviceOf, type VigilApp } from '@vigil/http';
import type { VerificationDeps } from '../use-cases/deps.ts';
import { listPending } from '../use-cases/list-pending.ts';
import { readDeviceChallenge } from '../use-cases/read-device-challenge.ts';
import { respondToChallenge } from '../use-cases/respond-to-challenge.ts';

const ChallengeParams = Type.Object({ challengeId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9-]+$' }) }, { additionalProperties: false });

/** CONTRACT §6: the payload the device verifies with the server's key before it shows anything (no number in it). */
const SignedChallengeBody = Type.Object({
  payload: Type.String({ description: 'JSON: {challengeId, tenantId, userId, deviceId, createdAt, expiresAt, numberMatchDigits, context}' }),
  signature: Type.String({ description: 'Ed25519 over the payload, base64url' }),
  keyId: Type.String(),
}, { additionalProperties: false });

/** CONTRACT §6 device API, every route signed by the device's key. */
export function deviceRoutes(app: VigilApp, deps: VerificationDeps): void {
  app.get('/v1/device/challenges/pending', {
    config: { deviceAuth: 'device', problems: ['throttled'] },
    schema: {
      querystring: Type.Object({ waitSeconds: Type.Optional(WaitSeconds) }, { additionalProperties: false }),
      response: { 200: Type.Object({ challenges: Type.Array(SignedChallengeBody, { description: 'newest first' }) }, { additionalProperties: false }) },
    },
  }, async (request, reply) => {
    // A long poll whose client goes away is released at once (CONTRACT §6 v2): its place, its timer, its waiter.
    const gone = new AbortController();
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) gone.abort();
    });
    return listPending(deps, { device: deviceOf(request), waitMs: (request.query.waitSeconds ?? 0) * 1000, gone: gone.signal });
  });

  app.get('/v1/device/challenges/:challengeId', { config: { deviceAuth: 'device', problems: ['not_found', 'expired', { code: 'already_decided', status: 410 }] }, schema: { params: ChallengeParams, response: { 200: SignedChallengeBody } } }, async (request) =>
    readDeviceChallenge(deps, { device: deviceOf(request), challengeId: request.params.challengeId, sourceIp: request.ip }));

  app.post('/v1/device/challenges/:challengeId/response', {
    config: { deviceAuth: 'device', problems: ['not_found', 'already_decided', 'expired', 'number_mismatch'] },
    schema: {
      params: ChallengeParams,
      body: Type.Object({
        decision: Type.Enum(['approve', 'deny', 'report']),
        numberMatch: Type.Optional(Type.String({ minLength: 1, maxLength: 8, pattern: '^[0-9]+$' })),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ status: Type.Enum(['approved', 'denied', 'reported']) }, { additionalProperties: false }) },
    },
  }, async (request) => respondToChallenge(deps, {
    device: deviceOf(request),
    challengeId: request.params.challengeId,
    decision: request.body.decision,
    sourceIp: request.ip,
    ...(request.body.numberMatch === undefined ? {} : { numberMatch: request.body.numberMatch }),
  }));
}
