import { Schema, type Connection, type Model } from 'mongoose';
import type { UserRef } from '@vigil/events';
import type { DeviceRecord, PendingActivation, PendingTotp, TotpCredential } from '../domain/ports.ts';

// Collections owned by the enrollment service alone (ARCHITECTURE §2). Only active devices live in `devices`, so a
// plain unique index enforces one device per user on real MongoDB and on the local wire server alike (which treats
// partial indexes as full ones: docs/mongodb-wire-server.md).

const sealed = { keyId: String, iv: String, ciphertext: String, tag: String };

/** The `_id` of a per-user document (TOTP credential, factor version). */
export const userDocId = (user: UserRef) => `${user.tenantId}:${user.userId}`;

export type DeviceDoc = Omit<DeviceRecord, 'deviceId'> & { _id: string };
export type RevokedDeviceDoc = DeviceDoc & { revokedAt: Date; reason: string };
export type ActivationCodeDoc = PendingActivation & { _id: string; usedAt: Date | null; usedBy?: string | null };
export type TotpCredentialDoc = TotpCredential & { _id: string };
export type PendingTotpDoc = Omit<PendingTotp, 'enrollmentId'> & { _id: string };
export type FactorVersionDoc = { _id: string; version: number; tenantId?: string; userId?: string; changing?: string[] };
export type ApiKeyDoc = { _id: string; tenantId: string; scope: string; createdAt: Date };

const deviceFields = {
  _id: String,
  tenantId: { type: String, required: true },
  userId: { type: String, required: true },
  publicKey: { type: String, required: true },
  platform: { type: String, required: true },
  pushToken: { type: String, default: null },
  deviceName: { type: String, default: null },
  appVersion: { type: String, default: null },
  enrolledAt: { type: Date, required: true },
  lastSeenAt: { type: Date, default: null },
};

export interface EnrollmentModels {
  devices: Model<DeviceDoc>;
  revokedDevices: Model<RevokedDeviceDoc>;
  activationCodes: Model<ActivationCodeDoc>;
  totpCredentials: Model<TotpCredentialDoc>;
  pendingTotp: Model<PendingTotpDoc>;
  factorVersions: Model<FactorVersionDoc>;
  apiKeys: Model<ApiKeyDoc>;
}

export async function enrollmentModels(connection: Connection): Promise<EnrollmentModels> {
  const models: EnrollmentModels = {
    devices: connection.model<DeviceDoc>('Device', new Schema<DeviceDoc>(deviceFields, { collection: 'devices', versionKey: false })
      .index({ tenantId: 1, userId: 1 }, { unique: true })),
    revokedDevices: connection.model<RevokedDeviceDoc>('RevokedDevice', new Schema<RevokedDeviceDoc>(
      { ...deviceFields, revokedAt: { type: Date, required: true }, reason: String }, { collection: 'revoked_devices', versionKey: false })),
    activationCodes: connection.model<ActivationCodeDoc>('ActivationCode', new Schema<ActivationCodeDoc>({
      _id: String, tenantId: String, userId: String, enrollmentId: String, expiresAt: Date, replace: Boolean,
      proofId: { type: String, default: null }, usedAt: { type: Date, default: null }, usedBy: { type: String, default: null },
    }, { collection: 'activation_codes', versionKey: false })
      // Clean-up only: expiry is checked in the query, since the local wire server never expires TTL indexes.
      .index({ expiresAt: 1 }, { expireAfterSeconds: 86_400 })),
    totpCredentials: connection.model<TotpCredentialDoc>('TotpCredential', new Schema<TotpCredentialDoc>({
      _id: String, tenantId: String, userId: String, secret: sealed, enrolledAt: Date, enrollmentId: { type: String, default: null }, spentStep: { type: Number, default: null },
    }, { collection: 'totp_credentials', versionKey: false })),
    pendingTotp: connection.model<PendingTotpDoc>('PendingTotp', new Schema<PendingTotpDoc>({
      _id: String, tenantId: String, userId: String, secret: sealed, expiresAt: Date,
    }, { collection: 'totp_pending', versionKey: false }).index({ expiresAt: 1 }, { expireAfterSeconds: 86_400 })),
    factorVersions: connection.model<FactorVersionDoc>('FactorVersion', new Schema<FactorVersionDoc>({ _id: String, version: Number, tenantId: String, userId: String, changing: { type: [String], default: undefined } }, { collection: 'factor_versions', versionKey: false }).index({ changing: 1 })),
    apiKeys: connection.model<ApiKeyDoc>('ApiKey', new Schema<ApiKeyDoc>({ _id: String, tenantId: String, scope: String, createdAt: Date }, { collection: 'api_keys', versionKey: false })),
  };
  await Promise.all(Object.values(models).map((model: Model<unknown>) => model.init()));
  return models;
}
