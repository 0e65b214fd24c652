import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { VigilError } from '@vigil/errors';
import { isTransientFailure } from '@vigil/kafka';
import { PROBLEM_CONTENT_TYPE, errors, problemHeaders, problemOf } from './problem.ts';

// Fastify's own client errors, mapped to contract codes. Anything with a 4xx status that is not listed keeps its
// status and gets a generic code; nothing a client sends may turn into a 5xx.
const FASTIFY_CODES: Record<string, 'payload_too_large' | 'unsupported_media_type' | 'validation_failed'> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'validation_failed',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'validation_failed',
  FST_ERR_CTP_INVALID_JSON_BODY: 'validation_failed',
  FST_ERR_BAD_URL: 'validation_failed',
  FST_ERR_ASYNC_CONSTRAINT: 'validation_failed',
};

function validationProblem(error: FastifyError): VigilError {
  const context = error.validationContext ?? 'body';
  const first = error.validation?.[0];
  const where = first?.instancePath ? `${context}${first.instancePath}` : context;
  const extra = (first?.params as { additionalProperty?: string } | undefined)?.additionalProperty;
  return errors.validation(extra ? `${where} has an unknown field "${extra}"` : `${where} ${first?.message ?? 'is invalid'}`);
}

/**
 * What a failure means to the client (STYLE habit 6): a refusal keeps its contract code; a client error fastify
 * raised gets the matching code; a dependency that is down is 503 `unavailable` (CONTRACT §2, safe to repeat);
 * anything else is a bug and answers 500 `internal_error`, never dressed up as an outage.
 */
export function toProblem(error: unknown): VigilError<string> {
  if (error instanceof VigilError) return error;
  const fastifyError = error as Partial<FastifyError>;
  if (fastifyError.validation) return validationProblem(error as FastifyError);
  if (isTransientFailure(error)) return errors.unavailable(`a dependency is unavailable: ${(error as Error).name}`);
  const known = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (known) return new VigilError(known, fastifyError.message ?? known);
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    return new VigilError(status === 404 ? 'not_found' : 'bad_request', fastifyError.message ?? 'bad request', { status });
  }
  return new VigilError('internal_error', 'an unexpected error occurred');
}

export function sendProblem(reply: FastifyReply, error: VigilError<string>, request: FastifyRequest): FastifyReply {
  return reply
    .status(error.status)
    .headers(problemHeaders(error))
    .type(PROBLEM_CONTENT_TYPE)
    .send(problemOf(error, request.url.split('?')[0]));
}

/** The one error handler of a service: every failure leaves as RFC 9457 problem+json with a stable code. */
export const problemJson = fp(async (app) => {
  app.setErrorHandler((error: unknown, request, reply) => {
    const problem = toProblem(error);
    if (problem.status === 500) request.log.error({ err: error }, 'request failed: a bug');
    else if (problem.status >= 500) request.log.error({ err: error, code: problem.code }, 'request failed: a dependency is unavailable');
    else request.log.info({ code: problem.code, status: problem.status }, 'request refused');
    return sendProblem(reply, problem, request);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, errors.notFound(`no route ${request.method} ${request.url.split('?')[0]}`), request),
  );
}, { name: 'vigil-problem-json', fastify: '5.x' });

/**
 * For errors fastify raises before routing (a malformed URL, a bad content-type header): without this, fastify
 * answers them with its own application/json body.
 */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  void sendProblem(reply, toProblem(error), request);
}
