import { VigilError } from '@vigil/errors';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  423: 'Locked',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** RFC 9457 body of a refusal. */
export function problemOf(error: VigilError<string>, instance?: string): Problem {
  return {
    type: `https://vigil.dev/problems/${error.code}`,
    title: error.title ?? TITLES[error.status] ?? 'Error',
    status: error.status,
    detail: error.message,
    code: error.code,
    ...(instance ? { instance } : {}),
  };
}

/** Throttling and lock answers carry Retry-After in whole seconds, at least 1 (CONTRACT §2). */
export function problemHeaders(error: VigilError<string>): Record<string, string> {
  if (error.retryAfterMs === null) return {};
  return { 'retry-after': String(Math.max(1, Math.ceil(error.retryAfterMs / 1000))) };
}

/** The refusals the HTTP base itself makes (auth, validation, routing). */
export const errors = {
  validation: (detail: string) => new VigilError('validation_failed', detail),
  unauthorized: (detail = 'a valid API key is required') => new VigilError('unauthorized', detail),
  forbidden: (detail: string) => new VigilError('forbidden', detail),
  notFound: (detail = 'no such resource') => new VigilError('not_found', detail),
  invalidSignature: (detail: string) => new VigilError('invalid_signature', detail),
  replayed: () => new VigilError('replayed', 'this signature was already used'),
  unavailable: (detail: string) => new VigilError('unavailable', detail),
};
