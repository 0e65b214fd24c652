export type ChallengeErrorCode = 'no_push_device' | 'push_suspended' | 'throttled' | 'not_found' | 'validation_failed';

export class ChallengeError extends Error {
  readonly code: ChallengeErrorCode;
  readonly retryAfterMs: number | null;

  constructor(code: ChallengeErrorCode, detail: string, retryAfterMs: number | null = null) {
    super(detail);
    this.name = 'ChallengeError';
    this.code = code;
    this.retryAfterMs = retryAfterMs;
  }
}
