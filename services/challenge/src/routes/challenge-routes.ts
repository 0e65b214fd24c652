import Type from 'typebox';
import { ChallengeContextInput, UserId } from '@vigil/events';
import { VigilError, callerOf, errors, retryAfter, type VigilApp } from '@vigil/http';
import { challengeView } from '../domain/challenge.ts';
import { ChallengeError, type ChallengeErrorCode } from '../domain/challenge-error.ts';
import { createChallenge } from '../use-cases/create-challenge.ts';
import type { ChallengeDeps } from '../use-cases/deps.ts';
import { cancelChallenge, readChallenge } from '../use-cases/read-challenge.ts';

const STATUS: Record<ChallengeErrorCode, number> = { no_push_device: 404, push_suspended: 423, throttled: 429, not_found: 404, validation_failed: 400 };

/**
 * Runs a use case for a route: contract errors become problem+json; a failing Redis or Kafka becomes 503. Pushes
 * fail closed: if the throttles cannot be checked, no challenge is created (ARCHITECTURE §7).
 */
export async function answer<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ChallengeError) {
      const headers = error.retryAfterMs === null ? {} : retryAfter(error.retryAfterMs / 1000);
      throw new VigilError(STATUS[error.code], error.code, error.message, { headers });
    }
    if (error instanceof VigilError) throw error;
    throw errors.unavailable(`a dependency is unavailable: ${(error as Error).name}`);
  }
}

const ChallengeParams = Type.Object({ challengeId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9-]+$' }) }, { additionalProperties: false });
const IdempotencyHeaders = Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 128, pattern: '^[\\x21-\\x7e]+$' })) });

export function challengeRoutes(app: VigilApp, deps: ChallengeDeps): void {
  app.post('/v1/challenges', {
    config: { scope: 'auth' },
    schema: {
      headers: IdempotencyHeaders,
      body: Type.Object({ userId: UserId, context: Type.Optional(ChallengeContextInput) }, { additionalProperties: false }),
    },
  }, async (request, reply) => {
    const { challenge, repeated } = await answer(() => createChallenge(deps, {
      tenantId: callerOf(request).tenantId,
      userId: request.body.userId,
      context: request.body.context ?? {},
      idempotencyKey: request.headers['idempotency-key'] ?? null,
    }));
    return reply.status(repeated ? 200 : 201).send({
      challengeId: challenge.challengeId, status: challenge.status, numberMatch: challenge.numberMatch, expiresAt: challenge.expiresAt.toISOString(),
      delivery: challenge.delivery,
    });
  });

  app.get('/v1/challenges/:challengeId', {
    config: { scope: 'auth' },
    schema: {
      params: ChallengeParams,
      querystring: Type.Object({ waitSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 30 })) }, { additionalProperties: false }),
    },
  }, async (request) => {
    const waitMs = (request.query.waitSeconds ?? 0) * 1000;
    return challengeView(await answer(() => readChallenge(deps, callerOf(request).tenantId, request.params.challengeId, waitMs)));
  });

  app.delete('/v1/challenges/:challengeId', { config: { scope: 'auth' }, schema: { params: ChallengeParams } }, async (request, reply) => {
    await answer(() => cancelChallenge(deps, callerOf(request).tenantId, request.params.challengeId));
    return reply.status(204).send();
  });
}
