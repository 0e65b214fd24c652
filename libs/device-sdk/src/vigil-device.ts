import { parseActivationUri } from './activation-uri.ts';
import { generateDeviceKeys, type DeviceKeys } from './device-keys.ts';
import type { Ed25519Engine } from './ed25519-engine.ts';
import { signRequest } from './signed-request.ts';
import { verifyServerPayload, type SignedPayload } from './server-signature.ts';

export interface Activation {
  deviceId: string;
  tenantId: string;
  userId: string;
  serverPublicKey: string;
  serverKeyId: string;
}

export interface DeviceResponse<T = unknown> {
  status: number;
  body: T;
}

export interface ActivateOptions {
  platform: 'ios' | 'android' | 'web';
  pushToken?: string | null;
  deviceName?: string;
  appVersion?: string;
  keys?: DeviceKeys;
  /** Used for a generated key pair when `keys` is absent (default: @noble/ed25519). */
  engine?: Ed25519Engine;
  fetch?: typeof fetch;
}

/** An enrolled device: signs every request with its key and checks what the server signs. */
export class VigilDevice {
  readonly keys: DeviceKeys;
  readonly activation: Activation;
  readonly #fetch: typeof fetch;

  constructor(keys: DeviceKeys, activation: Activation, fetchImpl: typeof fetch = fetch) {
    this.keys = keys;
    this.activation = activation;
    this.#fetch = fetchImpl;
  }

  get deviceId(): string {
    return this.activation.deviceId;
  }

  /**
   * Activates from an activation URI with a fresh key pair (proof of possession: the request is signed by the new
   * key). Throws with the server's problem+json on refusal.
   */
  static async activate(activationUri: string, options: ActivateOptions): Promise<VigilDevice> {
    const { activationCode, api } = parseActivationUri(activationUri);
    const keys = options.keys ?? (await generateDeviceKeys(options.engine));
    const fetchImpl = options.fetch ?? fetch;
    const body = JSON.stringify({
      activationCode,
      publicKey: keys.publicKey,
      platform: options.platform,
      pushToken: options.pushToken ?? null,
      ...(options.deviceName ? { deviceName: options.deviceName } : {}),
      ...(options.appVersion ? { appVersion: options.appVersion } : {}),
    });
    const path = '/v1/enrollments/activate';
    const headers = await signRequest(keys, { method: 'POST', pathWithQuery: path, body });
    const response = await fetchImpl(new URL(path, api), { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });
    const answer = (await response.json()) as Activation & { code?: string; detail?: string };
    if (response.status !== 201) throw new ActivationError(response.status, answer.code ?? 'unknown', answer.detail ?? '');
    return new VigilDevice(keys, answer, fetchImpl);
  }

  /** A signed request to any Vigil service (`baseUrl`), returning status and parsed body. */
  async request<T = unknown>(baseUrl: string, method: string, pathWithQuery: string, payload?: unknown): Promise<DeviceResponse<T>> {
    const body = payload === undefined ? '' : JSON.stringify(payload);
    const headers = await signRequest(this.keys, { method, pathWithQuery, body, deviceId: this.deviceId });
    const response = await this.#fetch(new URL(pathWithQuery, baseUrl), {
      method,
      headers: body ? { ...headers, 'content-type': 'application/json' } : headers,
      ...(body ? { body } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
  }

  verifyServerPayload<T>(signed: SignedPayload): Promise<T | null> {
    return verifyServerPayload<T>(signed, { publicKey: this.activation.serverPublicKey, keyId: this.activation.serverKeyId }, this.keys.engine);
  }
}

export class ActivationError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, detail: string) {
    super(`activation refused (${status} ${code}): ${detail}`);
    this.name = 'ActivationError';
    this.status = status;
    this.code = code;
  }
}
