import { randomUUID } from 'node:crypto';
import type { FactorVersions } from '../domain/ports.ts';
import { userDocId, type EnrollmentModels } from './models.mongo.ts';

/** Versions and change marks in `factor_versions`, one document per user (ADR 0012: mark, change, publish, settle). */
export function mongoFactorVersions(models: EnrollmentModels): FactorVersions {
  return {
    async next(user) {
      const doc = await models.factorVersions.findOneAndUpdate({ _id: userDocId(user) }, { $inc: { version: 1 } }, { upsert: true, returnDocument: 'after' }).lean();
      return doc?.version ?? 1;
    },
    async changing(user) {
      // `<ISO time>|<id>`: unique, and ordered by time as strings, so `unsettled` can compare them.
      const mark = `${new Date().toISOString()}|${randomUUID()}`;
      await models.factorVersions.updateOne({ _id: userDocId(user) }, { $addToSet: { changing: mark }, $set: { tenantId: user.tenantId, userId: user.userId } }, { upsert: true });
      return mark;
    },
    async settled(user, ...marks) {
      await models.factorVersions.updateOne({ _id: userDocId(user) }, { $pull: { changing: { $in: marks } } });
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
