import { VigilError, errors, retryAfter } from '@vigil/http';
import { VerificationError, type VerificationErrorCode } from '../domain/verification-error.ts';

const STATUS: Record<VerificationErrorCode, number> = {
  not_found: 404, expired: 410, already_decided: 409, number_mismatch: 422, no_totp: 404, throttled: 429,
};

/** Contract errors become problem+json; a failing Redis or Kafka becomes 503, never a 500. */
export async function answer<T>(work: () => Promise<T>, overrides: Partial<Record<VerificationErrorCode, number>> = {}): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof VerificationError) {
      const headers = error.retryAfterMs === null ? {} : retryAfter(error.retryAfterMs / 1000);
      throw new VigilError(overrides[error.code] ?? STATUS[error.code], error.code, error.message, { headers });
    }
    if (error instanceof VigilError) throw error;
    throw errors.unavailable(`a dependency is unavailable: ${(error as Error).name}`);
  }
}
