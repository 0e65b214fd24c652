/** The contract codes (CONTRACT §4) an enrollment use case can refuse with. Routes map them to HTTP statuses. */
export type EnrollmentErrorCode =
  | 'device_already_enrolled'
  | 'activation_code_invalid'
  | 'throttled'
  | 'invalid_code'
  | 'not_found'
  | 'no_push_device'
  | 'invalid_public_key';

export class EnrollmentError extends Error {
  readonly code: EnrollmentErrorCode;
  readonly retryAfterSeconds: number | null;

  constructor(code: EnrollmentErrorCode, detail: string, retryAfterSeconds: number | null = null) {
    super(detail);
    this.name = 'EnrollmentError';
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
