import type { ApiKeyStore, Scope } from '@vigil/http';
import type { EnrollmentModels } from './models.mongo.ts';

/** Tenant API keys stored by SHA-256 hash (CONTRACT §2). */
export function mongoApiKeys(models: EnrollmentModels): ApiKeyStore {
  return {
    async findByHash(keyHash) {
      const doc = await models.apiKeys.findById(keyHash).lean();
      return doc && { tenantId: doc.tenantId, scope: doc.scope as Scope };
    },
  };
}
