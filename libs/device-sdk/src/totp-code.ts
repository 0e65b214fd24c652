import { Secret, TOTP } from 'otpauth';

/** The 6-digit RFC 6238 code (SHA-1, 30 s) an authenticator app would show for this base32 secret at `at`. */
export function totpCode(secretBase32: string, at: Date = new Date()): string {
  return new TOTP({ secret: Secret.fromBase32(secretBase32), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: at.getTime() });
}
