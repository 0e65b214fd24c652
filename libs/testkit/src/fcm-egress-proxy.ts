import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { createFakeServiceAccount, type FakeServiceAccount, type ServiceAccountKey } from './fake-google-oauth.ts';
import { createTestTls, type TestTls } from './test-tls.ts';

export interface FcmEgress {
  /** HTTPS_PROXY, NODE_USE_ENV_PROXY, NODE_EXTRA_CA_CERTS, NO_PROXY and FCM_SERVICE_ACCOUNT_JSON. */
  env: Record<string, string>;
  serviceAccount: ServiceAccountKey;
}

/** The certificate the proxy presents for Google's hosts and the service account it checks: made on first `egress()`. */
export interface EgressSetup {
  tls: TestTls | null;
  account: FakeServiceAccount | null;
}

/** The hosts the egress proxy intercepts; anything else is refused (403), never tunnelled out. */
const GOOGLE_HOSTS = ['fcm.googleapis.com', 'oauth2.googleapis.com'];

// The egress proxy: terminate TLS for Google's hosts with the test CA's certificate and serve the fake behind it.
export function interceptGoogleConnects(server: Server, setup: EgressSetup): void {
  server.on('connect', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    const [host, targetPort] = (request.url ?? '').split(':');
    const tls = setup.tls;
    if (!tls || !GOOGLE_HOSTS.includes(host ?? '') || targetPort !== '443') {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length > 0) socket.unshift(head);
    const secure = new TLSSocket(socket, { isServer: true, key: tls.keyPem, cert: tls.certPem });
    secure.on('error', () => socket.destroy());
    server.emit('connection', secure);
  });
}

/** The environment that sends an unmodified process's Google traffic through the proxy on `port`. */
export async function openEgress(setup: EgressSetup, port: number): Promise<FcmEgress> {
  setup.tls ??= await createTestTls(GOOGLE_HOSTS);
  setup.account ??= createFakeServiceAccount();
  return {
    serviceAccount: setup.account.json,
    env: {
      HTTPS_PROXY: `http://127.0.0.1:${port}`,
      NODE_USE_ENV_PROXY: '1',
      NO_PROXY: 'localhost,127.0.0.1,::1',
      NODE_EXTRA_CA_CERTS: setup.tls.caFile,
      FCM_SERVICE_ACCOUNT_JSON: JSON.stringify(setup.account.json),
    },
  };
}
