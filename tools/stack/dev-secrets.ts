import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DevSecrets {
  /** VIGIL_SERVER_SIGNING_KEY: 32-byte Ed25519 seed, base64url. */
  serverSigningKey: string;
  /** VIGIL_SECRET_KEYS: `keyId:base64url(32 bytes)`. */
  secretKeys: string;
}

/**
 * Keys for a local stack, generated on the first start and kept in the state folder (git-ignored): devices enrolled
 * yesterday must still verify the server's signatures today, and TOTP secrets must still decrypt.
 */
export function loadDevSecrets(stateDir: string): DevSecrets {
  const file = join(stateDir, 'dev-secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DevSecrets;
  const secrets: DevSecrets = {
    serverSigningKey: randomBytes(32).toString('base64url'),
    secretKeys: `dev1:${randomBytes(32).toString('base64url')}`,
  };
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
