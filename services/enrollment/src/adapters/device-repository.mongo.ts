import { DeviceConflict, type DeviceRecord, type DeviceRepository } from '../domain/ports.ts';
import type { DeviceDoc, EnrollmentModels } from './models.mongo.ts';

function toDevice(doc: DeviceDoc): DeviceRecord {
  return {
    deviceId: doc._id, tenantId: doc.tenantId, userId: doc.userId, publicKey: doc.publicKey, platform: doc.platform,
    pushToken: doc.pushToken ?? null, deviceName: doc.deviceName ?? null, appVersion: doc.appVersion ?? null,
    enrolledAt: doc.enrolledAt, lastSeenAt: doc.lastSeenAt ?? null,
  };
}

/** Active devices in `devices` (one per user by a unique index), revoked ones moved to `revoked_devices`. */
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
