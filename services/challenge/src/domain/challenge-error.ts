import { VigilError, type ProblemCode } from '@vigil/errors';

/** The contract codes (CONTRACT §5) a challenge use case can refuse with. */
export type ChallengeErrorCode = Extract<ProblemCode, 'no_push_device' | 'push_suspended' | 'throttled' | 'not_found' | 'validation_failed'>;

export class ChallengeError extends VigilError<ChallengeErrorCode> {
  constructor(code: ChallengeErrorCode, detail: string, retryAfterMs: number | null = null) {
    super(code, detail, { retryAfterMs });
    this.name = 'ChallengeError';
  }
}
