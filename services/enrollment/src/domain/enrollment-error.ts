import { VigilError, type ProblemCode } from '@vigil/errors';

/** The contract codes (CONTRACT §4) an enrollment use case can refuse with. */
export type EnrollmentErrorCode = Extract<ProblemCode,
  | 'device_already_enrolled'
  | 'activation_code_invalid'
  | 'throttled'
  | 'invalid_code'
  | 'not_found'>;

export class EnrollmentError extends VigilError<EnrollmentErrorCode> {
  constructor(code: EnrollmentErrorCode, detail: string, retryAfterMs: number | null = null) {
    super(code, detail, { retryAfterMs });
    this.name = 'EnrollmentError';
  }
}
