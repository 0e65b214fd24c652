import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { VigilError } from '@vigil/errors';
import { PROBLEM_CONTENT_TYPE, problemOf } from '@vigil/http';

/**
 * What a route of the console lets through without the token. Routes say it in their config (`config: { access }`);
 * a route that says nothing needs the token in its header (fail closed).
 * - `page`: the static page and /readyz, which hold nothing secret.
 * - `token-in-query`: the SSE alert stream, because EventSource cannot set a header.
 */
export type ConsoleAccess = 'page' | 'token-in-query';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: ConsoleAccess;
  }
}

export interface RequestGuardOptions {
  /** The console's own origins (`http://127.0.0.1:8080`): the only Host and Origin values it answers to. */
  origins: readonly string[];
  /** Minted at start and shown with the console's URL; every /api and /device request carries it. */
  token: string;
}

export const TOKEN_HEADER = 'x-vigil-console-token';

/** 127.0.0.1 and localhost on the console's port, plus any origin it was told it is reached as (a tunnel). */
export function ownOrigins(port: number, extra: readonly string[] = []): string[] {
  return [...new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`, ...extra.map((origin) => new URL(origin).origin)])];
}

/**
 * The console holds tenant keys server-side, so any request that reaches its gateway acts as an admin. Refused, in
 * this order, before a body is read:
 * - a Host that is not the console's own (403): DNS rebinding, where a hostile name resolves to 127.0.0.1 and the
 *   browser treats the console as that site;
 * - a non-GET request whose Origin is present and foreign (403): cross-site form and fetch POSTs;
 * - a missing or wrong token (401): any other page or local process that can reach 127.0.0.1;
 * - a body that is not application/json (415): text/plain, form and multipart bodies are what a cross-site
 *   "simple" request can send without a CORS preflight.
 */
export function installRequestGuard(app: FastifyInstance, options: RequestGuardOptions): void {
  const hosts = new Set(options.origins.map((origin) => new URL(origin).host));
  const origins = new Set(options.origins);
  const expected = digest(options.token);
  const tokenMatches = (given: unknown) => typeof given === 'string' && timingSafeEqual(digest(given), expected);

  app.addHook('onRequest', async (request, reply) => {
    const refusal = refusalOf(request, { hosts, origins, tokenMatches });
    if (!refusal) return;
    await reply.status(refusal.status).type(PROBLEM_CONTENT_TYPE).send(problemOf(refusal, request.url.split('?')[0]));
  });
}

// Both sides hashed first: timingSafeEqual needs equal lengths, and the hash hides the token's length too.
const digest = (value: string) => createHash('sha256').update(value).digest();

function refusalOf(request: FastifyRequest, checks: { hosts: Set<string>; origins: Set<string>; tokenMatches: (given: unknown) => boolean }): VigilError<string> | null {
  const host = request.headers.host?.toLowerCase();
  if (!host || !checks.hosts.has(host)) return new VigilError('host_not_allowed', 'this console answers only to its own address', { status: 403 });
  const origin = request.headers.origin;
  if (!SAFE_METHODS.has(request.method) && origin !== undefined && !checks.origins.has(origin)) {
    return new VigilError('origin_not_allowed', 'requests from other origins are refused', { status: 403 });
  }
  const access = request.routeOptions.config?.access;
  if (access === 'page') return null;
  const query = request.query as Record<string, unknown> | undefined;
  const token = request.headers[TOKEN_HEADER] ?? (access === 'token-in-query' ? query?.['token'] : undefined);
  if (!checks.tokenMatches(token)) {
    return new VigilError('console_token_required', `open the console from the address npm start printed (it carries the token), or send ${TOKEN_HEADER}`, { status: 401 });
  }
  if (carriesBody(request) && mediaType(request.headers['content-type']) !== 'application/json') {
    return new VigilError('unsupported_media_type', 'the console accepts application/json bodies only', { status: 415 });
  }
  return null;
}

const SAFE_METHODS = new Set(['GET', 'HEAD']);
const carriesBody = (request: FastifyRequest) =>
  request.headers['content-type'] !== undefined || request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
const mediaType = (contentType: string | undefined) => contentType?.split(';')[0]?.trim().toLowerCase();
