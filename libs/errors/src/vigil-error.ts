import { PROBLEM_STATUS, isProblemCode, type ProblemCode } from './problem-codes.ts';

export interface VigilErrorOptions {
  /** The contract's status for this code, unless the route's contract says otherwise (410 for a decided challenge the device reads). */
  readonly status?: number;
  /** When a repeat may succeed: sent as Retry-After in whole seconds (throttles and locks, CONTRACT §2). */
  readonly retryAfterMs?: number | null;
  readonly title?: string;
  readonly cause?: unknown;
}

/**
 * An expected refusal with its stable contract code (STYLE habit 6). Use cases throw these (or a service's subclass
 * that narrows the codes it can refuse with); the one error handler in `@vigil/http` turns them into RFC 9457
 * problem+json. Anything else that escapes a route is either a dependency outage (503 `unavailable`) or a bug (500,
 * logged). Codes outside the contract table (the console's own) must name their status.
 */
export class VigilError<Code extends string = ProblemCode> extends Error {
  readonly code: Code;
  readonly status: number;
  readonly retryAfterMs: number | null;
  readonly title: string | undefined;

  constructor(code: Code, detail: string, options: VigilErrorOptions = {}) {
    super(detail, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'VigilError';
    this.code = code;
    this.status = options.status ?? (isProblemCode(code) ? PROBLEM_STATUS[code] : 500);
    this.retryAfterMs = options.retryAfterMs ?? null;
    this.title = options.title;
  }
}
