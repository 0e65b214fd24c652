import { isIP } from 'node:net';
import { EnvError, makeExactValidator } from 'envalid';

/**
 * The validators envalid lacks, made with its `makeExactValidator`. Each throws `EnvError` naming what it expected;
 * `loadConfig` hides that message for a secret.
 */

/** An integer in `min..max`: a limit outside its range is a typo, not a setting (a TTL of 0, a window of a year). */
export function int(range: { min: number; max: number }) {
  return makeExactValidator<number>((raw) => {
    const value = Number(raw);
    if (!/^-?\d+$/.test(raw.trim()) || value < range.min || value > range.max) {
      throw new EnvError(`expected an integer in ${range.min}..${range.max}, got ${JSON.stringify(raw)}`);
    }
    return value;
  });
}

/** The items of a comma-separated value; empty items are dropped. */
export const commaList = (raw: string): string[] => raw.split(',').map((item) => item.trim()).filter((item) => item.length > 0);

export const list = makeExactValidator<string[]>(commaList);

/** A URL with one of `protocols` (e.g. `redis:`). The value is not repeated in the error: it may carry a password. */
export function urlOf(protocols: readonly string[]) {
  return makeExactValidator<string>((raw) => {
    let protocol: string;
    try {
      protocol = new URL(raw).protocol;
    } catch {
      throw new EnvError('expected a URL');
    }
    if (!protocols.includes(protocol)) throw new EnvError(`expected a URL with protocol ${protocols.join(' or ')}, got ${protocol}`);
    return raw;
  });
}

/** A string matching `pattern` in full, e.g. the base64url form of a 32-byte key. */
export function matching(pattern: RegExp) {
  return makeExactValidator<string>((raw) => {
    if (!pattern.test(raw)) throw new EnvError(`expected a value matching ${pattern}`);
    return raw;
  });
}

/** An IPv4 or IPv6 address, optionally with a prefix length (CIDR). */
function isAddressOrCidr(entry: string): boolean {
  const [address, bits, ...rest] = entry.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  return bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
}

/**
 * Which X-Forwarded-For hops to believe (CONTRACT §1 v2, as fastify's `trustProxy`): `false` (none), `true` (all: only
 * behind a proxy that overwrites the header), a hop count, or a comma list of proxy addresses and CIDRs.
 */
export const proxyTrust = makeExactValidator<boolean | number | string[]>((raw) => {
  const value = raw.trim().toLowerCase();
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^\d+$/.test(value)) return Number(value);
  const entries = value.split(',').map((entry) => entry.trim()).filter(Boolean);
  if (entries.length === 0 || !entries.every(isAddressOrCidr)) {
    throw new EnvError(`expected true, false, a hop count, or addresses/CIDRs, got ${JSON.stringify(raw)}`);
  }
  return entries;
});
