/**
 * A refusal or failure as the login system meets it: the contract's problem `code` (CONTRACT §2) and, for throttles,
 * locks and outages, when to repeat. No answer at all (network, timeout) is code `unreachable` with status 0.
 */
export interface LoginProblem {
  status: number;
  code: string;
  detail: string;
  /** Retry-After, in seconds, when the service gave one. */
  retryAfterSeconds: number | null;
}

/** Errors are values: a login page branches on `ok`, then on `problem.code`; nothing is thrown for a refusal. */
export type LoginResult<T> = { ok: true; value: T } | { ok: false; problem: LoginProblem };

/** Whether repeating the same request later may succeed (a dependency down, no answer). */
export function isTransient(problem: LoginProblem): boolean {
  return problem.status === 0 || problem.status === 503;
}
