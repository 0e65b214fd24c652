/**
 * Every stable problem `code` a service answers with, and its HTTP status: the contract's codes (CONTRACT §2: "one of
 * the stable strings named in this document") and the HTTP base's own for what fastify refuses before a route runs
 * (`bad_request`, `payload_too_large`, `unsupported_media_type`) and for a bug (`internal_error`). Clients branch on
 * the code, so a code never changes its meaning or status; a new failure gets a new code here.
 */
export const PROBLEM_STATUS = {
  validation_failed: 400,
  bad_request: 400,
  unauthorized: 401,
  invalid_signature: 401,
  replayed: 401,
  forbidden: 403,
  not_found: 404,
  no_push_device: 404,
  no_totp: 404,
  device_already_enrolled: 409,
  already_decided: 409,
  activation_code_invalid: 410,
  expired: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  invalid_code: 422,
  number_mismatch: 422,
  push_suspended: 423,
  throttled: 429,
  internal_error: 500,
  unavailable: 503,
} as const satisfies Record<string, number>;

export type ProblemCode = keyof typeof PROBLEM_STATUS;

export function isProblemCode(code: string): code is ProblemCode {
  return Object.hasOwn(PROBLEM_STATUS, code);
}
