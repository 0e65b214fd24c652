import type { ApiKeyStore, Scope } from '@vigil/http';
import {
  DeviceConflict,
  type ActivationCodeRepository,
  type DeviceRecord,
  type DeviceRepository,
  type TotpRepository,
  type UserRef,
} from '../domain/ports.ts';
import type { FactorVersions } from '../use-cases/deps.ts';
import type { DeviceDoc, EnrollmentModels } from './mongo-models.ts';

const userKey = (user: UserRef) => `${user.tenantId}:${user.userId}`;

function toDevice(doc: DeviceDoc): DeviceRecord {
  return {
    deviceId: doc._id, tenantId: doc.tenantId, userId: doc.userId, publicKey: doc.publicKey, platform: doc.platform,
    pushToken: doc.pushToken ?? null, deviceName: doc.deviceName ?? null, appVersion: doc.appVersion ?? null,
    enrolledAt: doc.enrolledAt, lastSeenAt: doc.lastSeenAt ?? null,
  };
}

export function mongoDeviceRepository(models: EnrollmentModels): DeviceRepository {
  const { devices, revokedDevices } = models;
  return {
    async findActiveByUser(user) {
      const doc = await devices.findOne({ tenantId: user.tenantId, userId: user.userId }).lean<DeviceDoc>();
      return doc && toDevice(doc);
    },
    async findActiveById(deviceId) {
      const doc = await devices.findById(deviceId).lean<DeviceDoc>();
      return doc && toDevice(doc);
    },
    async insert(device) {
      const { deviceId, ...rest } = device;
      try {
        await devices.create({ _id: deviceId, ...rest });
      } catch (error) {
        if ((error as { code?: number }).code === 11000) throw new DeviceConflict();
        throw error;
      }
    },
    async revoke(match, reason, at) {
      const doc = await devices.findOneAndDelete({ tenantId: match.tenantId, userId: match.userId, ...(match.deviceId ? { _id: match.deviceId } : {}) }).lean<DeviceDoc>();
      if (doc === null) return null;
      // Keep who had which key, for audits; the row is not consulted for authentication.
      await revokedDevices.create({ ...doc, revokedAt: at, reason });
      return toDevice(doc);
    },
    async updatePushToken(deviceId, pushToken) {
      const doc = await devices.findOneAndUpdate({ _id: deviceId }, { $set: { pushToken } }, { returnDocument: 'after' }).lean<DeviceDoc>();
      return doc && toDevice(doc);
    },
    async touch(deviceId, at) {
      await devices.updateOne({ _id: deviceId }, { $set: { lastSeenAt: at } });
    },
  };
}

export function mongoActivationCodes(models: EnrollmentModels): ActivationCodeRepository {
  return {
    async insert(codeHash, pending) {
      await models.activationCodes.create({ _id: codeHash, ...pending, usedAt: null });
    },
    async consume(codeHash, now) {
      // One conditional update: two devices racing with the same code cannot both win.
      const doc = await models.activationCodes.findOneAndUpdate(
        { _id: codeHash, usedAt: null, expiresAt: { $gt: now } },
        { $set: { usedAt: now } },
        { returnDocument: 'after' },
      ).lean();
      return doc && { tenantId: doc.tenantId, userId: doc.userId, enrollmentId: doc.enrollmentId, expiresAt: doc.expiresAt, replace: doc.replace, proofId: doc.proofId ?? null };
    },
  };
}

export function mongoTotpRepository(models: EnrollmentModels): TotpRepository {
  const { totpCredentials, pendingTotp } = models;
  return {
    async findCredential(user) {
      const doc = await totpCredentials.findById(userKey(user)).lean();
      return doc && { tenantId: doc.tenantId, userId: doc.userId, secret: doc.secret, enrolledAt: doc.enrolledAt };
    },
    async saveCredential(credential) {
      await totpCredentials.findOneAndUpdate({ _id: userKey(credential) }, { $set: credential }, { upsert: true });
    },
    async removeCredential(user) {
      return (await totpCredentials.deleteOne({ _id: userKey(user) })).deletedCount === 1;
    },
    async insertPending(pending) {
      const { enrollmentId, ...rest } = pending;
      await pendingTotp.create({ _id: enrollmentId, ...rest });
    },
    async findPending(user, enrollmentId) {
      const doc = await pendingTotp.findOne({ _id: enrollmentId, tenantId: user.tenantId, userId: user.userId }).lean();
      return doc && { enrollmentId: doc._id, tenantId: doc.tenantId, userId: doc.userId, secret: doc.secret, expiresAt: doc.expiresAt };
    },
    async deletePending(user, enrollmentId) {
      await pendingTotp.deleteOne({ _id: enrollmentId, tenantId: user.tenantId, userId: user.userId });
    },
  };
}

export function mongoFactorVersions(models: EnrollmentModels): FactorVersions {
  return {
    async next(user) {
      const doc = await models.factorVersions.findOneAndUpdate({ _id: userKey(user) }, { $inc: { version: 1 } }, { upsert: true, returnDocument: 'after' }).lean();
      return doc?.version ?? 1;
    },
    async changing(user) {
      // A mark never moves back: of two overlapping changes, the later one's settle clears it.
      const mark = new Date();
      await models.factorVersions.updateOne({ _id: userKey(user) }, { $set: { changingSince: mark, tenantId: user.tenantId, userId: user.userId } }, { upsert: true });
      return mark;
    },
    async settled(user, mark) {
      await models.factorVersions.updateOne({ _id: userKey(user), changingSince: mark }, { $set: { changingSince: null } });
    },
    async unsettled(before, limit) {
      const docs = await models.factorVersions.find({ changingSince: { $ne: null, $lt: before } }).limit(limit).lean();
      return docs.flatMap((doc) => (doc.tenantId && doc.userId ? [{ tenantId: doc.tenantId, userId: doc.userId }] : []));
    },
  };
}

/** Tenant API keys stored by SHA-256 hash (CONTRACT §2). */
export function mongoApiKeys(models: EnrollmentModels): ApiKeyStore {
  return {
    async findByHash(keyHash) {
      const doc = await models.apiKeys.findById(keyHash).lean();
      return doc && { tenantId: doc.tenantId, scope: doc.scope as Scope };
    },
  };
}
