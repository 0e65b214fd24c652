import { deviceRequestMessage } from '@vigil/crypto/messages';
import { signBytes, type DeviceKeys } from './device-keys.ts';

export interface SignedRequestInput {
  method: string;
  /** Path with query, exactly as it will be sent. */
  pathWithQuery: string;
  /** The exact body text (empty for GET/DELETE). */
  body?: string;
  /** Absent at activation. */
  deviceId?: string;
  timestampMs?: number;
}

/** The three headers of a signed device request (CONTRACT §3). */
export async function signRequest(keys: DeviceKeys, input: SignedRequestInput): Promise<Record<string, string>> {
  const timestamp = String(input.timestampMs ?? Date.now());
  const signature = await signBytes(keys, deviceRequestMessage({
    method: input.method,
    pathWithQuery: input.pathWithQuery,
    timestamp,
    rawBody: input.body ?? '',
  }));
  return {
    ...(input.deviceId ? { 'x-vigil-device': input.deviceId } : {}),
    'x-vigil-timestamp': timestamp,
    'x-vigil-signature': signature,
  };
}
