/**
 * An expected failure with its contract code (CONTRACT §2): the error handler turns it into RFC 9457
 * problem+json. Throw these (or return them from use cases) instead of ad-hoc errors.
 */
export class VigilError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, code: string, detail: string, options: { title?: string; headers?: Record<string, string> } = {}) {
    super(detail);
    this.name = 'VigilError';
    this.status = status;
    this.code = code;
    this.title = options.title ?? TITLES[status] ?? 'Error';
    this.headers = options.headers ?? {};
  }
}

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

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

export function problemOf(error: VigilError, instance?: string): Problem {
  return {
    type: `https://vigil.dev/problems/${error.code}`,
    title: error.title,
    status: error.status,
    detail: error.message,
    code: error.code,
    ...(instance ? { instance } : {}),
  };
}

/** Throttling and lock answers carry Retry-After in whole seconds (CONTRACT §2). */
export function retryAfter(seconds: number): Record<string, string> {
  return { 'retry-after': String(Math.max(1, Math.ceil(seconds))) };
}

export const errors = {
  validation: (detail: string) => new VigilError(400, 'validation_failed', detail),
  unauthorized: (detail = 'a valid API key is required') => new VigilError(401, 'unauthorized', detail),
  forbidden: (detail: string) => new VigilError(403, 'forbidden', detail),
  notFound: (detail = 'no such resource', code = 'not_found') => new VigilError(404, code, detail),
  invalidSignature: (detail: string) => new VigilError(401, 'invalid_signature', detail),
  replayed: () => new VigilError(401, 'replayed', 'this signature was already used'),
  throttled: (seconds: number, detail = 'too many requests') =>
    new VigilError(429, 'throttled', detail, { headers: retryAfter(seconds) }),
  unavailable: (detail: string) => new VigilError(503, 'unavailable', detail),
};
