import fp from 'fastify-plugin';
import secureJson from 'secure-json-parse';
import { errors } from './problem.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body exactly as received: device signatures are over these bytes (CONTRACT §3). */
    rawBody: string;
  }
}

/**
 * Parses JSON bodies itself so that the exact text is kept for signature checks, with the same prototype-poisoning
 * defence as fastify's own parser (secure-json-parse: `__proto__` and `constructor.prototype` are refused).
 */
export const rawJsonBody = fp(async (app) => {
  app.decorateRequest('rawBody', '');
  // JSON only: any other media type gets 415 rather than a confusing schema error.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(/^application\/([\w.+-]+\+)?json(;.*)?$/i, { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    request.rawBody = text;
    if (text.length === 0) return done(null, undefined);
    try {
      done(null, secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' }));
    } catch (error) {
      done(errors.validation(`body is not valid JSON: ${(error as Error).message}`), undefined);
    }
  });
}, { name: 'vigil-raw-json-body', fastify: '5.x' });
