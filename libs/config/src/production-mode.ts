import { ConfigError } from './config-error.ts';
import type { Env } from './load-config.ts';

// CONTRACT §2 production mode. The values below are published in this repository (README, docker-compose.yml, tests,
// the `npm start` launcher): anyone can read them, so a production service must never accept them.
const PUBLISHED_API_KEYS: ReadonlySet<string> = new Set([
  'dev-admin-key', 'dev-auth-key', 'dev-soc-key', 'globex-auth-key', 'abuse-admin-key', 'abuse-auth-key', 'abuse-soc-key',
]);
/** The sample 32-byte key (bytes 00..1f) that docker-compose.yml used for signing and for sealing TOTP secrets. */
const PUBLISHED_KEY_MATERIAL: ReadonlySet<string> = new Set(['AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8']);
/** An API key is a bearer secret: 32 characters of a random alphabet at least (≥ 128 bits from base64url). */
export const MIN_PRODUCTION_API_KEY_LENGTH = 32;

const MODES = ['development', 'test', 'production'] as const;

/**
 * `VIGIL_ENV=production`, or `NODE_ENV=production` (the image sets it) unless VIGIL_ENV says otherwise. A VIGIL_ENV
 * that is none of the modes stops start-up: `prod` must not quietly mean development.
 */
export function isProduction(env: Env): boolean {
  const vigil = env['VIGIL_ENV']?.trim().toLowerCase();
  if (vigil) {
    if (!(MODES as readonly string[]).includes(vigil)) throw new ConfigError([`VIGIL_ENV: invalid, expected one of ${MODES.join(', ')}`]);
    return vigil === 'production';
  }
  return env['NODE_ENV']?.trim().toLowerCase() === 'production';
}

const items = (value: string | undefined) => (value ?? '').split(',').map((item) => item.trim()).filter(Boolean);

/** The key of each `tenantId:scope:key` triple. */
function apiKeysOf(value: string | undefined): string[] {
  return items(value).map((triple) => triple.split(':').slice(2).join(':'));
}

/** The key material of each `keyId:base64url` entry. */
function sealingKeysOf(value: string | undefined): string[] {
  return items(value).map((entry) => entry.split(':').slice(1).join(':'));
}

/**
 * What production mode refuses, one line per variable (names, never values). Only the variables present are checked:
 * each service is given the secrets it uses.
 */
export function productionProblems(env: Env): string[] {
  const problems: string[] = [];
  const apiKeys = apiKeysOf(env['VIGIL_API_KEYS']);
  if (apiKeys.some((key) => PUBLISHED_API_KEYS.has(key))) problems.push('VIGIL_API_KEYS: holds a development key published in this repository');
  if (apiKeys.some((key) => key.length < MIN_PRODUCTION_API_KEY_LENGTH)) problems.push(`VIGIL_API_KEYS: every key must be at least ${MIN_PRODUCTION_API_KEY_LENGTH} characters in production`);
  const signing = env['VIGIL_SERVER_SIGNING_KEY']?.trim();
  if (signing && PUBLISHED_KEY_MATERIAL.has(signing)) problems.push('VIGIL_SERVER_SIGNING_KEY: is the sample key published in this repository');
  const sealing = sealingKeysOf(env['VIGIL_SECRET_KEYS']);
  if (sealing.some((key) => PUBLISHED_KEY_MATERIAL.has(key))) problems.push('VIGIL_SECRET_KEYS: holds the sample key published in this repository');
  // One key for two jobs: whoever learns it through one use (a leaked signing seed) can also open every TOTP secret.
  if (signing && sealing.includes(signing)) problems.push('VIGIL_SECRET_KEYS: shares key material with VIGIL_SERVER_SIGNING_KEY; signing and sealing need separate keys');
  return problems;
}
