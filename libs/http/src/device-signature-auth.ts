import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { VigilError } from '@vigil/errors';
import { deviceRequestMessage, verifyEd25519 } from '@vigil/crypto';
import { errors } from './problem.ts';

export interface Device {
  tenantId: string;
  userId: string;
  deviceId: string;
  /** Raw Ed25519 public key, base64url. */
  publicKey: string;
}

/** Where a service finds active devices (enrollment: MongoDB; verification: its projection of vigil.factors.v1). */
export interface DeviceDirectory {
  /** The active device with this id, or null if unknown or revoked. */
  findActive(deviceId: string): Promise<Device | null>;
}

/** Remembers accepted signatures for the replay window; `remember` is false when it was already there. */
export interface ReplayGuard {
  remember(signature: string, ttlSeconds: number): Promise<boolean>;
}

export interface DeviceAuthOptions {
  devices: DeviceDirectory;
  replayGuard: ReplayGuard;
  /** CONTRACT §3: 60 s of clock skew, 120 s replay memory. */
  maxSkewMs?: number;
  replayWindowSeconds?: number;
  now?: () => number;
  /** Told of every refused device request, e.g. to publish vigil.response.rejected. Never throws into the request. */
  onRejected?: (rejection: DeviceRejection) => Promise<void>;
}

export interface DeviceRejection {
  reason: 'invalid_signature' | 'replayed' | 'stale';
  /** The claimed device when it is known and active, else null (the claim cannot be attributed to a user). */
  device: Device | null;
  sourceIp: string;
  url: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * `device`: signed by an enrolled device (X-Vigil-Device). `activation`: signed by the new key that the body's
     * `publicKey` carries (proof of possession at activation).
     */
    deviceAuth?: 'device' | 'activation';
  }
  interface FastifyRequest {
    device: Device | null;
  }
}

function header(request: FastifyRequest, name: string): string | null {
  const value = request.headers[name];
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/**
 * preHandler hook (after body validation, so `activation` can read the key from the body). Order of checks: shape,
 * clock, signature, then replay, so that forged signatures never fill the replay guard.
 */
export const deviceAuth = fp<DeviceAuthOptions>(async (app, options) => {
  const maxSkewMs = options.maxSkewMs ?? 60_000;
  const replayWindowSeconds = options.replayWindowSeconds ?? 120;
  const now = options.now ?? Date.now;
  app.decorateRequest('device', null);
  app.addHook('preHandler', async (request) => {
    const mode = request.routeOptions.config.deviceAuth;
    if (mode === undefined) return;
    let device: Device | null = null;
    const refuse = async (reason: DeviceRejection['reason'], error: VigilError): Promise<never> => {
      await options.onRejected?.({ reason, device: mode === 'device' ? device : null, sourceIp: request.ip, url: request.url })
        .catch((failure: unknown) => request.log.warn({ err: failure }, 'could not report a rejected device request'));
      throw error;
    };
    if (mode === 'device') {
      const deviceId = header(request, 'x-vigil-device');
      device = deviceId === null || deviceId.length > 128 ? null : await options.devices.findActive(deviceId);
    }
    const timestamp = header(request, 'x-vigil-timestamp');
    const signature = header(request, 'x-vigil-signature');
    if (timestamp === null || signature === null) return refuse('invalid_signature', errors.invalidSignature('X-Vigil-Timestamp and X-Vigil-Signature are required'));
    if (!/^\d{1,16}$/.test(timestamp) || Math.abs(now() - Number(timestamp)) > maxSkewMs) {
      return refuse('stale', errors.invalidSignature('the timestamp is missing or too far from server time'));
    }
    if (mode === 'activation') {
      const publicKey = (request.body as { publicKey?: unknown } | undefined)?.publicKey;
      device = typeof publicKey === 'string' ? { tenantId: '', userId: '', deviceId: '', publicKey } : null;
    }
    if (device === null) return refuse('invalid_signature', errors.invalidSignature('unknown or revoked device'));
    const message = deviceRequestMessage({ method: request.method, pathWithQuery: request.url, timestamp, rawBody: request.rawBody });
    if (!verifyEd25519(device.publicKey, message, signature)) return refuse('invalid_signature', errors.invalidSignature('the signature does not verify'));
    if (!(await options.replayGuard.remember(signature, replayWindowSeconds))) return refuse('replayed', errors.replayed());
    request.device = mode === 'activation' ? null : device;
  });
}, { name: 'vigil-device-auth', fastify: '5.x' });

export function deviceOf(request: FastifyRequest): Device {
  if (request.device === null) throw errors.invalidSignature('a device signature is required');
  return request.device;
}
