import * as ed from '@noble/ed25519';
import { encodeBase64Url } from './base64url.ts';

/** The device's Ed25519 key pair. The secret key stays on the device (CONTRACT §3). */
export interface DeviceKeys {
  /** 32-byte secret key (RFC 8032 seed). */
  readonly secretKey: Uint8Array;
  /** Raw 32-byte public key, base64url without padding, as sent at activation. */
  readonly publicKey: string;
}

export async function generateDeviceKeys(): Promise<DeviceKeys> {
  return deviceKeysFromSecret(ed.utils.randomSecretKey());
}

export async function deviceKeysFromSecret(secretKey: Uint8Array): Promise<DeviceKeys> {
  return { secretKey, publicKey: encodeBase64Url(await ed.getPublicKeyAsync(secretKey)) };
}

export async function signBytes(keys: DeviceKeys, message: Uint8Array): Promise<string> {
  return encodeBase64Url(await ed.signAsync(message, keys.secretKey));
}
