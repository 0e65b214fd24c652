import type { ActivationCodeRepository } from '../domain/ports.ts';
import type { EnrollmentModels } from './models.mongo.ts';

/** Activation codes in `activation_codes`, keyed by the code's SHA-256: the code itself is never stored. */
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
