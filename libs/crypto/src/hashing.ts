import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * SHA-256 hex of a high-entropy secret (API key, activation code). Such secrets need no slow password hash: guessing
 * 128 random bits is infeasible either way, and lookups by hash stay O(1).
 */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Constant-time comparison of two strings (different lengths compare unequal, without early exit on content). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) {
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}
