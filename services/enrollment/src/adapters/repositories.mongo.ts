import { randomUUID } from 'node:crypto';
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
    async wasRevoked(user, publicKey) {
      return (await revokedDevices.exists({ tenantId: user.tenantId, userId: user.userId, publicKey })) !== null;
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
    async consume(codeHash, now, publicKey) {
      // One conditional update: two devices racing with the same code cannot both win; the key that won may repeat.
      const doc = await models.activationCodes.findOneAndUpdate(
        { _id: codeHash, expiresAt: { $gt: now }, $or: [{ usedAt: null }, { usedBy: publicKey }] },
        { $set: { usedAt: now, usedBy: publicKey } },
        { returnDocument: 'before' },
      ).lean();
      return doc && {
        tenantId: doc.tenantId, userId: doc.userId, enrollmentId: doc.enrollmentId, expiresAt: doc.expiresAt, replace: doc.replace, proofId: doc.proofId ?? null,
        repeat: doc.usedAt !== null,
      };
    },
    async invalidateOthers(user, keepEnrollmentId, now) {
      // Marked used by nobody's key: no device can repeat with them (`consume` matches usedBy to the public key).
      await models.activationCodes.updateMany(
        { tenantId: user.tenantId, userId: user.userId, enrollmentId: { $ne: keepEnrollmentId }, usedAt: null },
        { $set: { usedAt: now, usedBy: 'superseded' } },
      );
    },
  };
}

export function mongoTotpRepository(models: EnrollmentModels): TotpRepository {
  const { totpCredentials, pendingTotp } = models;
  return {
    async findCredential(user) {
      const doc = await totpCredentials.findById(userKey(user)).lean();
      return doc && {
        tenantId: doc.tenantId, userId: doc.userId, secret: doc.secret, enrolledAt: doc.enrolledAt,
        ...(doc.enrollmentId ? { enrollmentId: doc.enrollmentId } : {}),
        ...(typeof doc.spentStep === 'number' ? { spentStep: doc.spentStep } : {}),
      };
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
      // `<ISO time>|<id>`: unique, and ordered by time as strings, so `unsettled` can compare them.
      const mark = `${new Date().toISOString()}|${randomUUID()}`;
      await models.factorVersions.updateOne({ _id: userKey(user) }, { $addToSet: { changing: mark }, $set: { tenantId: user.tenantId, userId: user.userId } }, { upsert: true });
      return mark;
    },
    async settled(user, ...marks) {
      await models.factorVersions.updateOne({ _id: userKey(user) }, { $pull: { changing: { $in: marks } } });
    },
    async unsettled(before, limit) {
      const cutoff = before.toISOString();
      const docs = await models.factorVersions.find({ changing: { $lt: cutoff } }).limit(limit).lean();
      return docs.flatMap((doc) => (doc.tenantId && doc.userId
        ? [{ user: { tenantId: doc.tenantId, userId: doc.userId }, marks: (doc.changing ?? []).filter((mark) => mark < cutoff) }]
        : []));
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
