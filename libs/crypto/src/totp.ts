// RFC 6238 TOTP for the services: enrollment confirms with it, verification verifies with it (one code path).
import { Secret, TOTP } from 'otpauth';

// CONTRACT §4: RFC 6238, SHA-1, 6 digits, 30 s, 160-bit secret.
const TOTP_PARAMS = { algorithm: 'SHA1', digits: 6, period: 30 } as const;

export function newTotpSecret(): Uint8Array {
  return new Uint8Array(new Secret({ size: 20 }).bytes);
}

export function toBase32(secret: Uint8Array): string {
  return new Secret({ buffer: secret.slice().buffer }).base32;
}

/** Google-Authenticator-compatible key URI with issuer and account. */
export function otpauthUri(secret: Uint8Array, issuer: string, accountName: string): string {
  return new TOTP({ ...TOTP_PARAMS, issuer, label: accountName, secret: new Secret({ buffer: secret.slice().buffer }) }).toString();
}

/** The time step the code matched (within ±`window` steps of `at`), or null. */
export function matchTotp(secret: Uint8Array, code: string, at: Date, window = 1): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const totp = new TOTP({ ...TOTP_PARAMS, secret: new Secret({ buffer: secret.slice().buffer }) });
  const delta = totp.validate({ token: code, timestamp: at.getTime(), window });
  return delta === null ? null : Math.floor(at.getTime() / 1000 / TOTP_PARAMS.period) + delta;
}
