import { request as httpsRequest } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@vigil/logger';
import { createTestTls, type TestTls } from '@vigil/testkit';
import { createHttpApp, staticApiKeys, type HttpTransport, type VigilApp } from '../src/index.ts';

// CONTRACT §1 (v2): HTTPS from a certificate and key, and X-Forwarded-For believed only from trusted hops. Real
// sockets (not inject): the client address and the TLS handshake are what is tested.

let tls: TestTls;
const apps: VigilApp[] = [];

async function serve(transport: HttpTransport): Promise<number> {
  const app = createHttpApp({ service: 'transport-test', logger: createLogger({ name: 'transport-test', level: 'silent' }), apiKeys: staticApiKeys(new Map()), readiness: [], transport });
  app.get('/whoami', async (request) => ({ ip: request.ip }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  apps.push(app);
  return (app.server.address() as { port: number }).port;
}

function get(port: number, options: { https?: boolean; forwardedFor?: string } = {}): Promise<{ status: number; ip: string }> {
  const headers = options.forwardedFor ? { 'x-forwarded-for': options.forwardedFor } : {};
  if (options.https) {
    return new Promise((resolve, reject) => {
      const call = httpsRequest({ host: '127.0.0.1', port, path: '/whoami', ca: tls.caPem, headers }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => void (body += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, ip: (JSON.parse(body) as { ip: string }).ip }));
      });
      call.on('error', reject);
      call.end();
    });
  }
  return fetch(`http://127.0.0.1:${port}/whoami`, { headers }).then(async (response) => ({ status: response.status, ip: ((await response.json()) as { ip: string }).ip }));
}

beforeAll(async () => {
  tls = await createTestTls(['localhost', '127.0.0.1']);
});

afterAll(async () => {
  await Promise.all(apps.map((app) => app.close()));
});

describe('HTTPS and proxy trust (CONTRACT §1)', () => {
  it('serves HTTPS with the configured certificate, and nothing in clear on that port', async () => {
    const port = await serve({ tls: { cert: tls.certPem, key: tls.keyPem } });
    expect(await get(port, { https: true })).toEqual({ status: 200, ip: '127.0.0.1' });
    await expect(get(port)).rejects.toThrow();
  });

  it('believes no forwarded address by default', async () => {
    const port = await serve({});
    expect((await get(port, { forwardedFor: '203.0.113.9' })).ip).toBe('127.0.0.1');
  });

  it('believes X-Forwarded-For only from a trusted proxy, and only the hops after it', async () => {
    const trusted = await serve({ trustProxy: ['127.0.0.1'] });
    expect((await get(trusted, { forwardedFor: '203.0.113.9' })).ip).toBe('203.0.113.9');
    // The client wrote the first entry itself; the trusted proxy appended the address it saw.
    expect((await get(trusted, { forwardedFor: '198.51.100.66, 203.0.113.9' })).ip).toBe('203.0.113.9');
    const elsewhere = await serve({ trustProxy: ['10.0.0.0/8'] });
    expect((await get(elsewhere, { forwardedFor: '203.0.113.9' })).ip).toBe('127.0.0.1');
    const oneHop = await serve({ trustProxy: 1 });
    expect((await get(oneHop, { forwardedFor: '198.51.100.66, 203.0.113.9' })).ip).toBe('203.0.113.9');
  });
});
