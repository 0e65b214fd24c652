import Type from 'typebox';
import { ChallengeBody, ChallengeCreatedBody, ChallengeParams, CreateChallengeBody, IdempotencyHeaders } from '@vigil/api';
import { NoContent, WaitSeconds, callerOf, type VigilApp } from '@vigil/http';
import { challengeView } from '../domain/challenge.ts';
import { cancelChallenge } from '../use-cases/cancel-challenge.ts';
import { createChallenge } from '../use-cases/create-challenge.ts';
import type { ChallengeDeps } from '../use-cases/deps.ts';
import { readChallenge } from '../use-cases/read-challenge.ts';

export function challengeRoutes(app: VigilApp, deps: ChallengeDeps): void {
  app.post('/v1/challenges', {
    config: { scope: 'auth', problems: ['no_push_device', 'push_suspended', 'throttled'] },
    schema: {
      headers: IdempotencyHeaders,
      body: CreateChallengeBody,
      response: { 200: ChallengeCreatedBody, 201: ChallengeCreatedBody },
    },
  }, async (request, reply) => {
    // Pushes fail closed (ARCHITECTURE §7): if the throttles cannot be checked, no challenge is made (503).
    const { challenge, repeated } = await createChallenge(deps, {
      tenantId: callerOf(request).tenantId,
      userId: request.body.userId,
      context: request.body.context ?? {},
      idempotencyKey: request.headers['idempotency-key'] ?? null,
    });
    return reply.status(repeated ? 200 : 201).send({
      challengeId: challenge.challengeId, status: challenge.status, numberMatch: challenge.numberMatch, expiresAt: challenge.expiresAt.toISOString(),
      delivery: challenge.delivery,
    });
  });

  app.get('/v1/challenges/:challengeId', {
    config: { scope: 'auth', problems: ['not_found'] },
    schema: {
      params: ChallengeParams,
      querystring: Type.Object({ waitSeconds: Type.Optional(WaitSeconds) }, { additionalProperties: false }),
      response: { 200: ChallengeBody },
    },
  }, async (request) => {
    const waitMs = (request.query.waitSeconds ?? 0) * 1000;
    return challengeView(await readChallenge(deps, { tenantId: callerOf(request).tenantId, challengeId: request.params.challengeId, waitMs }));
  });

  app.delete('/v1/challenges/:challengeId', { config: { scope: 'auth', problems: ['not_found'] }, schema: { params: ChallengeParams, response: { 204: NoContent } } }, async (request, reply) => {
    await cancelChallenge(deps, { tenantId: callerOf(request).tenantId, challengeId: request.params.challengeId });
    return reply.status(204).send(null);
  });
}
