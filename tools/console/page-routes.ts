import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import type { FastifyInstance } from 'fastify';

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml' };

// The page runs only its own bundle: whatever markup slips into it can neither run script (no inline script, no
// inline handlers), nor load a plugin, nor rebase its URLs, nor be framed (clickjacking the Approve button). QR codes
// are data: images; the timeline places its dots through CSSOM, which style-src does not govern.
export const PAGE_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  // The page's URL carries the token on first load: never send it on as a Referer.
  'referrer-policy': 'no-referrer',
};

/** The page: the built web assets in `webDir`, and index.html for any other path (the views are #fragments). */
export function pageRoutes(app: FastifyInstance, webDir: string): void {
  app.get('/*', { config: { access: 'page' } }, async (request, reply) => {
    const wanted = normalize(decodeURIComponent(request.url.split('?')[0] ?? '/')).replace(/^(\.\.[/\\])+/, '');
    const file = join(webDir, wanted === '/' ? 'index.html' : wanted);
    if (!file.startsWith(webDir)) return reply.status(404).send();
    try {
      return reply.type(TYPES[extname(file)] ?? 'application/octet-stream').send(await readFile(file));
    } catch {
      return reply.type(TYPES['.html'] as string).send(await readFile(join(webDir, 'index.html')));
    }
  });
}
