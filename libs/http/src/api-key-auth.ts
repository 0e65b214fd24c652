import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { sha256Hex } from '@vigil/crypto';
import { errors } from './problem.ts';

export type Scope = 'admin' | 'auth' | 'soc';
export const SCOPES: readonly Scope[] = ['admin', 'auth', 'soc'];

export interface Caller {
  tenantId: string;
  scope: Scope;
}

/** Finds the tenant and scope of an API key by the key's SHA-256 hash: keys are never stored in clear. */
export interface ApiKeyStore {
  findByHash(keyHash: string): Promise<Caller | null>;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The API-key scope a route needs (CONTRACT §2). Routes without it take no API key. */
    scope?: Scope;
  }
  interface FastifyRequest {
    caller: Caller | null;
  }
}

/**
 * VIGIL_API_KEYS: comma-separated `tenantId:scope:key` triples for development and tests. The keys are hashed as
 * they are read; the clear values are not kept.
 */
export function parseApiKeys(spec: string): Map<string, Caller> {
  const byHash = new Map<string, Caller>();
  for (const item of spec.split(',').map((part) => part.trim()).filter(Boolean)) {
    const [tenantId, scope, ...keyParts] = item.split(':');
    const key = keyParts.join(':');
    if (!tenantId || !scope || !SCOPES.includes(scope as Scope) || key.length < 8) {
      throw new Error(`each entry must be tenantId:scope:key with scope ${SCOPES.join('|')} and a key of 8+ characters`);
    }
    byHash.set(sha256Hex(key), { tenantId, scope: scope as Scope });
  }
  return byHash;
}

export function staticApiKeys(byHash: Map<string, Caller>): ApiKeyStore {
  return { findByHash: async (hash) => byHash.get(hash) ?? null };
}

/** The first store that knows the key wins: environment keys, then the database (enrollment service). */
export function chainApiKeyStores(...stores: ApiKeyStore[]): ApiKeyStore {
  return {
    async findByHash(hash) {
      for (const store of stores) {
        const found = await store.findByHash(hash);
        if (found) return found;
      }
      return null;
    },
  };
}

function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer ([\x21-\x7e]{1,512})$/i.exec(header.trim());
  return match?.[1] ?? null;
}

/** onRequest hook: a route with `config.scope` needs a Bearer key of that scope (401 without a valid key, 403 wrong scope). */
export const apiKeyAuth = fp<{ store: ApiKeyStore }>(async (app, { store }) => {
  app.decorateRequest('caller', null);
  app.addHook('onRequest', async (request) => {
    const needed = request.routeOptions.config.scope;
    if (needed === undefined) return;
    const key = bearerToken(request);
    if (key === null) throw errors.unauthorized();
    const caller = await store.findByHash(sha256Hex(key));
    if (caller === null) throw errors.unauthorized();
    if (caller.scope !== needed) throw errors.forbidden(`this route needs an API key with scope ${needed}`);
    request.caller = caller;
  });
}, { name: 'vigil-api-key-auth', fastify: '5.x' });

/** The authenticated tenant of a route that declared a scope. */
export function callerOf(request: FastifyRequest): Caller {
  if (request.caller === null) throw errors.unauthorized();
  return request.caller;
}
