export type VerificationErrorCode = 'not_found' | 'expired' | 'already_decided' | 'number_mismatch' | 'no_totp' | 'throttled';

export class VerificationError extends Error {
  readonly code: VerificationErrorCode;
  readonly retryAfterMs: number | null;
  constructor(code: VerificationErrorCode, detail: string, retryAfterMs: number | null = null) {
    super(detail);
    this.name = 'VerificationError';
    this.code = code;
    this.retryAfterMs = retryAfterMs;
  }
}
