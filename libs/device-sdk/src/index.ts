export { generateDeviceKeys, deviceKeysFromSecret, signBytes, type DeviceKeys } from './device-keys.ts';
export { signRequest, type SignedRequestInput } from './signed-request.ts';
export { verifyServerPayload, type SignedPayload } from './server-signature.ts';
export { totpCode } from './totp-code.ts';
export { parseActivationUri } from './activation-uri.ts';
export { VigilDevice, ActivationError, type Activation, type ActivateOptions, type DeviceResponse } from './vigil-device.ts';
export { encodeBase64Url, decodeBase64Url } from './base64url.ts';
export { nobleEd25519, type Ed25519Engine } from './ed25519-engine.ts';
