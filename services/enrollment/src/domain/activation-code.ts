import { randomBytes } from 'node:crypto';

// CONTRACT §4: at least 128 bits of entropy. 20 random bytes = 160 bits, 27 base64url characters.
const CODE_BYTES = 20;

export function newActivationCode(): string {
  return randomBytes(CODE_BYTES).toString('base64url');
}

export function activationUri(code: string, enrollmentBaseUrl: string): string {
  return `vigil://activate?code=${encodeURIComponent(code)}&api=${encodeURIComponent(enrollmentBaseUrl)}`;
}
