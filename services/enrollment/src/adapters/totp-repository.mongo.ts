import type { TotpRepository } from '../domain/ports.ts';
import { userDocId, type EnrollmentModels } from './models.mongo.ts';

/** Confirmed secrets in `totp_credentials` (one per user), pending enrollments in `totp_pending`; both sealed. */
export function mongoTotpRepository(models: EnrollmentModels): TotpRepository {
  const { totpCredentials, pendingTotp } = models;
  return {
    async findCredential(user) {
      const doc = await totpCredentials.findById(userDocId(user)).lean();
      return doc && {
        tenantId: doc.tenantId, userId: doc.userId, secret: doc.secret, enrolledAt: doc.enrolledAt,
        ...(doc.enrollmentId ? { enrollmentId: doc.enrollmentId } : {}),
        ...(typeof doc.spentStep === 'number' ? { spentStep: doc.spentStep } : {}),
      };
    },
    async saveCredential(credential) {
      await totpCredentials.findOneAndUpdate({ _id: userDocId(credential) }, { $set: credential }, { upsert: true });
    },
    async removeCredential(user) {
      return (await totpCredentials.deleteOne({ _id: userDocId(user) })).deletedCount === 1;
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
