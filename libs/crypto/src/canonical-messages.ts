// CONTRACT §3: what a device signs and what the server signs. Distinct prefixes keep a signature made for one purpose
// from being replayed as the other. Plain TextEncoder, no Node APIs: the device SDK (phones, browsers) imports this
// file through `@vigil/crypto/messages`.
const DEVICE_PREFIX = 'vigil/v1\n';
const SERVER_PREFIX = 'vigil/v1/server\n';

export interface DeviceRequestParts {
  method: string;
  /** Path with its query string, exactly as sent. */
  pathWithQuery: string;
  /** Unix milliseconds, as sent in X-Vigil-Timestamp. */
  timestamp: string;
  /** The raw body; empty for GET and DELETE. */
  rawBody: string;
}

const encoder = new TextEncoder();

export function deviceRequestMessage(parts: DeviceRequestParts): Uint8Array {
  return encoder.encode(`${DEVICE_PREFIX}${parts.method.toUpperCase()}\n${parts.pathWithQuery}\n${parts.timestamp}\n${parts.rawBody}`);
}

export function serverChallengeMessage(payload: string): Uint8Array {
  return encoder.encode(`${SERVER_PREFIX}${payload}`);
}
