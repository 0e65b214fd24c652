import * as ed from '@noble/ed25519';
import { encodeBase64Url } from './base64url.ts';
import { nobleEd25519, type Ed25519Engine } from './ed25519-engine.ts';

/** The device's Ed25519 key pair. The secret key stays on the device (CONTRACT §3). */
export interface DeviceKeys {
  /** 32-byte secret key (RFC 8032 seed). */
  readonly secretKey: Uint8Array;
  /** Raw 32-byte public key, base64url without padding, as sent at activation. */
  readonly publicKey: string;
  /** How this device signs and checks signatures (default: @noble/ed25519). */
  readonly engine?: Ed25519Engine;
}

export async function generateDeviceKeys(engine: Ed25519Engine = nobleEd25519): Promise<DeviceKeys> {
  return deviceKeysFromSecret(ed.utils.randomSecretKey(), engine);
}

export async function deviceKeysFromSecret(secretKey: Uint8Array, engine: Ed25519Engine = nobleEd25519): Promise<DeviceKeys> {
  return { secretKey, publicKey: encodeBase64Url(await engine.publicKey(secretKey)), engine };
}

export async function signBytes(keys: DeviceKeys, message: Uint8Array): Promise<string> {
  return encodeBase64Url(await (keys.engine ?? nobleEd25519).sign(message, keys.secretKey));
}
