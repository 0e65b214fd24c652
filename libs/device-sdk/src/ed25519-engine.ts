import * as ed from '@noble/ed25519';

/**
 * The Ed25519 operations a device needs. The default is @noble/ed25519 (pure JS, runs in browsers); Node programs that
 * act as many devices (load generators) can use `nodeEd25519` from `@vigil/device-sdk/node`, ~17× faster at signing.
 * Both apply RFC 8032's strict rules, so they accept the same signatures.
 */
export interface Ed25519Engine {
  publicKey(secretKey: Uint8Array): Promise<Uint8Array>;
  sign(message: Uint8Array, secretKey: Uint8Array): Promise<Uint8Array>;
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): Promise<boolean>;
}

export const nobleEd25519: Ed25519Engine = {
  publicKey: (secretKey) => ed.getPublicKeyAsync(secretKey),
  sign: (message, secretKey) => ed.signAsync(message, secretKey),
  verify: (signature, message, publicKey) => ed.verifyAsync(signature, message, publicKey, { zip215: false }),
};
