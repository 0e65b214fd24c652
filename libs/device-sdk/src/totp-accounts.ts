import { totpCode } from './totp-code.ts';

/**
 * A TOTP account an authenticator keeps, from an `otpauth://totp/...` key URI (Google Authenticator's Key Uri Format).
 * Only RFC 6238's common profile is accepted — HMAC-SHA-1, 6 digits, 30-second steps — which is what Vigil issues and
 * what every authenticator app understands; anything else is refused rather than shown with a code that would not work.
 */
export interface TotpAccount {
  /** Who issued it (`Vigil`), or '' when the URI names no issuer. */
  issuer: string;
  /** The account name (`alice`). */
  account: string;
  /** RFC 4648 base32, upper case, no padding. A secret: keep it with the device's keys, never log or send it. */
  secret: string;
  algorithm: 'SHA1';
  digits: 6;
  period: 30;
}

export class OtpauthUriError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OtpauthUriError';
  }
}

// RFC 4226 §4 asks for 128 bits and recommends 160; 80 is the floor many issuers still use, below it a guess is cheap.
const MIN_SECRET_BITS = 80;

/** Parses an `otpauth://totp/<issuer>:<account>?secret=...` URI; throws OtpauthUriError saying what is wrong. */
export function parseOtpauthUri(uri: string): TotpAccount {
  let url: URL;
  try {
    url = new URL(uri.trim());
  } catch {
    throw new OtpauthUriError('not an otpauth:// URI');
  }
  if (url.protocol !== 'otpauth:') throw new OtpauthUriError(`not an otpauth:// URI (it starts with ${url.protocol}//)`);
  const type = url.hostname.toLowerCase();
  if (type === 'hotp') throw new OtpauthUriError('HOTP (counter-based) accounts are not supported: only time-based (TOTP) ones');
  if (type !== 'totp') throw new OtpauthUriError(`unknown OTP type "${url.hostname}": only totp is supported`);
  const { issuer, account } = labelOf(url);
  checkProfile(url.searchParams);
  return { issuer, account, secret: secretOf(url.searchParams.get('secret')), algorithm: 'SHA1', digits: 6, period: 30 };
}

function labelOf(url: URL): { issuer: string; account: string } {
  let label: string;
  try {
    label = decodeURIComponent(url.pathname.replace(/^\//, ''));
  } catch {
    throw new OtpauthUriError('the account label is not valid percent-encoding');
  }
  const colon = label.indexOf(':');
  const prefix = colon >= 0 ? label.slice(0, colon).trim() : '';
  const account = (colon >= 0 ? label.slice(colon + 1) : label).trim();
  const parameter = url.searchParams.get('issuer')?.trim();
  if (!account) throw new OtpauthUriError('the URI names no account');
  // Key Uri Format: both should be equal. A URI whose two issuers disagree would show one name and mean another.
  if (prefix && parameter && prefix !== parameter) throw new OtpauthUriError(`the label's issuer "${prefix}" and the issuer parameter "${parameter}" differ`);
  return { issuer: parameter || prefix, account };
}

function checkProfile(params: URLSearchParams): void {
  const algorithm = (params.get('algorithm') ?? 'SHA1').toUpperCase();
  if (algorithm !== 'SHA1') throw new OtpauthUriError(`algorithm ${algorithm} is not supported: only SHA1`);
  const digits = params.get('digits') ?? '6';
  if (digits !== '6') throw new OtpauthUriError(`${digits}-digit codes are not supported: only 6`);
  const period = params.get('period') ?? '30';
  if (period !== '30') throw new OtpauthUriError(`a ${period}-second period is not supported: only 30`);
}

function secretOf(raw: string | null): string {
  if (!raw) throw new OtpauthUriError('the URI has no secret');
  const secret = raw.replace(/\s+/g, '').replace(/=+$/, '').toUpperCase();
  // RFC 4648 §6: A-Z and 2-7; a final quantum leaves 0, 2, 4, 5 or 7 characters, never 1, 3 or 6.
  if (!/^[A-Z2-7]+$/.test(secret) || [1, 3, 6].includes(secret.length % 8)) throw new OtpauthUriError('the secret is not valid base32');
  if (secret.length * 5 < MIN_SECRET_BITS) throw new OtpauthUriError(`the secret is too short (${Math.floor((secret.length * 5) / 8)} bytes; at least ${MIN_SECRET_BITS / 8})`);
  return secret;
}

/** How an account is named on screen: `Vigil (alice)`, or `alice` without an issuer. */
export function totpAccountLabel(account: Pick<TotpAccount, 'issuer' | 'account'>): string {
  return account.issuer ? `${account.issuer} (${account.account})` : account.account;
}

/** The code an authenticator shows at `at`, and how many whole seconds it has left before the next one. */
export function currentTotp(account: Pick<TotpAccount, 'secret' | 'period'>, at: Date = new Date()): { code: string; secondsLeft: number } {
  const elapsed = Math.floor(at.getTime() / 1000) % account.period;
  return { code: totpCode(account.secret, at), secondsLeft: account.period - elapsed };
}
