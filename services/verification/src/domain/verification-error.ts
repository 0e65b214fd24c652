import { VigilError, type ProblemCode, type VigilErrorOptions } from '@vigil/errors';

/** The contract codes (CONTRACT §6) a verification use case can refuse with. */
export type VerificationErrorCode = Extract<ProblemCode, 'not_found' | 'expired' | 'already_decided' | 'number_mismatch' | 'no_totp' | 'throttled'>;

export class VerificationError extends VigilError<VerificationErrorCode> {
  constructor(code: VerificationErrorCode, detail: string, options: Pick<VigilErrorOptions, 'retryAfterMs' | 'status'> = {}) {
    super(code, detail, options);
    this.name = 'VerificationError';
  }
}
