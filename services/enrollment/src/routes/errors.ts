import { VigilError, retryAfter } from '@vigil/http';
import { EnrollmentError, type EnrollmentErrorCode } from '../domain/enrollment-error.ts';

const STATUS: Record<EnrollmentErrorCode, number> = {
  device_already_enrolled: 409,
  activation_code_invalid: 410,
  throttled: 429,
  invalid_code: 422,
  not_found: 404,
  no_push_device: 404,
  invalid_public_key: 400,
};

/** Runs a use case and turns its EnrollmentError into the contract's problem+json answer. */
export async function answer<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof EnrollmentError)) throw error;
    const headers = error.retryAfterSeconds === null ? {} : retryAfter(error.retryAfterSeconds);
    throw new VigilError(STATUS[error.code], error.code, error.message, { headers });
  }
}
