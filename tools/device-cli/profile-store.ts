import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Activation, TotpAccount } from '@vigil/device-sdk';

/**
 * What the CLI keeps for one phone, in one file (mode 600), as a phone keeps it on the device: the push key and
 * activation once `activate` ran, and the TOTP accounts added with `totp add`. Secrets in it never leave it.
 */
export interface DeviceProfile {
  /** The push device's Ed25519 secret key (base64url seed). */
  secretKey?: string;
  activation?: Activation;
  enrollmentUrl?: string;
  totpAccounts?: TotpAccount[];
}

/** Where a profile lives: the state directory (`.vigil` by default) and the profile's name (`phone`). */
export interface ProfileRef {
  stateDir: string;
  profile: string;
}

export function profilePath(ref: ProfileRef): string {
  return join(ref.stateDir, 'devices', `${ref.profile}.json`);
}

/** The saved profile, or an empty one when there is none yet. */
export function readProfile(ref: ProfileRef): DeviceProfile {
  const file = profilePath(ref);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DeviceProfile) : {};
}

export function saveProfile(ref: ProfileRef, profile: DeviceProfile): string {
  const file = profilePath(ref);
  mkdirSync(join(ref.stateDir, 'devices'), { recursive: true });
  writeFileSync(file, JSON.stringify(profile, null, 2), { mode: 0o600 });
  return file;
}

/** The profile's push device, or an error that says how to get one. */
export function activatedDevice(ref: ProfileRef): { secretKey: string; activation: Activation } {
  const { secretKey, activation } = readProfile(ref);
  if (!secretKey || !activation) throw new Error(`no device "${ref.profile}" here yet: run \`npm run device -- activate <activationUri>\` first`);
  return { secretKey, activation };
}
