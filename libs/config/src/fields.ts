import { isIP } from 'node:net';

/**
 * One environment variable: how to parse it and its default. `secret` keeps its value out of config dumps.
 * A field without a default is required.
 */
export interface Field<T> {
  readonly kind: string;
  readonly default?: T;
  readonly secret?: boolean;
  /** Neither required nor defaulted: absent means `undefined`. */
  readonly optional?: boolean;
  parse(raw: string): T;
}

type FieldOptions<T> = { default?: T; secret?: boolean };

function field<T>(kind: string, parse: (raw: string) => T, options: FieldOptions<T>): Field<T> {
  return { kind, parse, ...options };
}

function fail(expected: string, raw: string): never {
  throw new Error(`expected ${expected}, got ${JSON.stringify(raw)}`);
}

export function str(options: FieldOptions<string> & { pattern?: RegExp } = {}): Field<string> {
  return field('string', (raw) => {
    if (raw.length === 0) fail('a non-empty string', raw);
    if (options.pattern && !options.pattern.test(raw)) fail(`a value matching ${options.pattern}`, raw);
    return raw;
  }, options);
}

export function int(options: FieldOptions<number> & { min?: number; max?: number } = {}): Field<number> {
  const min = options.min ?? Number.MIN_SAFE_INTEGER;
  const max = options.max ?? Number.MAX_SAFE_INTEGER;
  return field('integer', (raw) => {
    if (!/^-?\d+$/.test(raw.trim())) fail(`an integer in ${min}..${max}`, raw);
    const value = Number(raw);
    if (value < min || value > max) fail(`an integer in ${min}..${max}`, raw);
    return value;
  }, options);
}

export function port(options: FieldOptions<number> = {}): Field<number> {
  return int({ ...options, min: 0, max: 65535 });
}

export function bool(options: FieldOptions<boolean> = {}): Field<boolean> {
  return field('boolean', (raw) => {
    const value = raw.trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(value)) return true;
    if (['0', 'false', 'no', 'off'].includes(value)) return false;
    return fail('true or false', raw);
  }, options);
}

export function oneOf<const T extends string>(values: readonly T[], options: FieldOptions<T> = {}): Field<T> {
  return field(`one of ${values.join('|')}`, (raw) => {
    if (!(values as readonly string[]).includes(raw)) fail(`one of ${values.join(', ')}`, raw);
    return raw as T;
  }, options);
}

/**
 * Which X-Forwarded-For hops to believe (CONTRACT §1 v2, as fastify's `trustProxy`): `false` (none), `true` (all: only
 * behind a proxy that overwrites the header), a hop count, or a comma list of proxy addresses and CIDRs.
 */
export function proxyTrust(options: FieldOptions<boolean | number | string[]> = {}): Field<boolean | number | string[]> {
  return field('proxy trust (true, false, a hop count, or addresses/CIDRs)', (raw) => {
    const value = raw.trim().toLowerCase();
    if (value === 'true' || value === 'false') return value === 'true';
    if (/^\d+$/.test(value)) return Number(value);
    const entries = value.split(',').map((entry) => entry.trim()).filter(Boolean);
    for (const entry of entries) {
      const [address, bits, ...rest] = entry.split('/');
      const family = isIP(address ?? '');
      const maxBits = family === 6 ? 128 : 32;
      if (family === 0 || rest.length > 0 || (bits !== undefined && !(/^\d+$/.test(bits) && Number(bits) <= maxBits))) fail('true, false, a hop count, or addresses/CIDRs', raw);
    }
    if (entries.length === 0) fail('true, false, a hop count, or addresses/CIDRs', raw);
    return entries;
  }, options);
}

/** A variable that may be left unset (its value is then `undefined`), e.g. a CA file only some deployments have. */
export function optional<T>(inner: Field<T>): Field<T | undefined> {
  return { ...inner, kind: `optional ${inner.kind}`, optional: true };
}

/** Comma-separated list; empty items are dropped. */
export function list(options: FieldOptions<string[]> = {}): Field<string[]> {
  return field('list', (raw) => raw.split(',').map((item) => item.trim()).filter((item) => item.length > 0), options);
}

export function url(options: FieldOptions<string> & { protocols?: readonly string[] } = {}): Field<string> {
  return field('url', (raw) => {
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      return fail('a URL', raw);
    }
    if (options.protocols && !options.protocols.includes(parsed.protocol)) {
      fail(`a URL with protocol ${options.protocols.join(' or ')}`, raw);
    }
    return raw;
  }, options);
}
