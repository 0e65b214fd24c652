import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isTransientFailure } from '@vigil/kafka';
import { PROBLEM_CONTENT_TYPE, VigilError, errors, problemOf } from './problem.ts';

// Fastify's own client errors, mapped to contract codes. Anything with a 4xx status that is not listed keeps its
// status and gets a generic code; nothing a client sends may turn into a 5xx.
const FASTIFY_CODES: Record<string, { status: number; code: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload_too_large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'validation_failed' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'validation_failed' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'validation_failed' },
  FST_ERR_BAD_URL: { status: 400, code: 'validation_failed' },
  FST_ERR_ASYNC_CONSTRAINT: { status: 400, code: 'validation_failed' },
};

function toVigilError(error: FastifyError | VigilError | Error): VigilError {
  if (error instanceof VigilError) return error;
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    const context = fastifyError.validationContext ?? 'body';
    const first = fastifyError.validation[0];
    const where = first?.instancePath ? `${context}${first.instancePath}` : context;
    const extra = (first?.params as { additionalProperty?: string } | undefined)?.additionalProperty;
    const detail = extra ? `${where} has an unknown field "${extra}"` : `${where} ${first?.message ?? 'is invalid'}`;
    return errors.validation(detail);
  }
  if (error instanceof SyntaxError) return errors.validation(`body is not valid JSON: ${error.message}`);
  // CONTRACT §2: a dependency that is down answers 503 `unavailable`, and the request is safe to repeat.
  if (isTransientFailure(error)) return errors.unavailable(`a dependency is unavailable: ${error.name}`);
  const known = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (known) return new VigilError(known.status, known.code, fastifyError.message);
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    return new VigilError(status, status === 404 ? 'not_found' : 'bad_request', fastifyError.message);
  }
  return new VigilError(500, 'internal_error', 'an unexpected error occurred');
}

export function sendProblem(reply: FastifyReply, error: VigilError, request: FastifyRequest): FastifyReply {
  return reply
    .status(error.status)
    .headers(error.headers)
    .type(PROBLEM_CONTENT_TYPE)
    .send(problemOf(error, request.url.split('?')[0]));
}

/** One error handler for the service: every failure leaves as RFC 9457 problem+json with a stable code. */
export function installProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | VigilError, request, reply) => {
    const vigilError = toVigilError(error);
    if (vigilError.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: vigilError.code, status: vigilError.status }, 'request refused');
    return sendProblem(reply, vigilError, request);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, errors.notFound(`no route ${request.method} ${request.url.split('?')[0]}`), request),
  );
}

/**
 * For errors fastify raises before routing (a malformed URL, a bad content-type header): without this, fastify
 * answers them with its own application/json body.
 */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  void sendProblem(reply, toVigilError(error), request);
}
