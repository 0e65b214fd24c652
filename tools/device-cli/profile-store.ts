import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Activation } from '@vigil/device-sdk';

/** A device the CLI activated: its secret key stays in this file (mode 600), as it would stay on a phone. */
export interface DeviceProfile {
  secretKey: string;
  activation: Activation;
  enrollmentUrl: string;
}

export function profilePath(stateDir: string, name: string): string {
  return join(stateDir, 'devices', `${name}.json`);
}

export function saveProfile(stateDir: string, name: string, profile: DeviceProfile): string {
  const file = profilePath(stateDir, name);
  mkdirSync(join(stateDir, 'devices'), { recursive: true });
  writeFileSync(file, JSON.stringify(profile, null, 2), { mode: 0o600 });
  return file;
}

export function loadProfile(stateDir: string, name: string): DeviceProfile {
  const file = profilePath(stateDir, name);
  if (!existsSync(file)) throw new Error(`no device "${name}" here yet: run \`npm run device -- activate <activationUri>\` first`);
  return JSON.parse(readFileSync(file, 'utf8')) as DeviceProfile;
}
