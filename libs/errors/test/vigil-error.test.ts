import { describe, expect, it } from 'vitest';
import { PROBLEM_STATUS, VigilError } from '../src/index.ts';

describe('VigilError', () => {
  it('answers with the status the contract gives its code', () => {
    expect(new VigilError('push_suspended', 'locked').status).toBe(423);
    expect(new VigilError('activation_code_invalid', 'gone').status).toBe(410);
  });

  it('takes a route-specific status and a retry delay', () => {
    const error = new VigilError('already_decided', 'decided', { status: 410, retryAfterMs: 1500 });
    expect(error).toMatchObject({ code: 'already_decided', status: 410, retryAfterMs: 1500, message: 'decided' });
  });

  it('treats a code outside the contract without a status as a bug', () => {
    expect(new VigilError('made_up', 'what').status).toBe(500);
  });

  it('gives every contract code a 4xx or 5xx status', () => {
    for (const status of Object.values(PROBLEM_STATUS)) expect(status).toBeGreaterThanOrEqual(400);
  });
});
