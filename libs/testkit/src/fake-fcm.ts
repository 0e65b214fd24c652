import { Agent } from 'node:https';
import { connect, type Socket } from 'node:net';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { TLSSocket } from 'node:tls';
import { createPublicKey, generateKeyPairSync, randomUUID, verify, type KeyObject } from 'node:crypto';
import { fcmMessageProblems } from './fcm-message-check.ts';
import { createTestTls, type TestTls } from './test-tls.ts';

/** One `messages:send` call as the fake received it. */
export interface FcmRequest {
  /** The Host the client addressed: `fcm.googleapis.com` when it came through the egress proxy. */
  host: string | undefined;
  projectId: string;
  authorization: string | undefined;
  message: Record<string, unknown>;
  receivedAt: number;
}

/** What the fake answers: a success, or an FCM HTTP v1 error with its status and FCM error code. */
export type FcmReply =
  | { kind: 'ok' }
  | { kind: 'error'; httpStatus: number; status: string; errorCode?: string; retryAfterSeconds?: number }
  | { kind: 'delay'; ms: number; then: FcmReply };

export const FCM_ERRORS = {
  unregistered: { kind: 'error', httpStatus: 404, status: 'NOT_FOUND', errorCode: 'UNREGISTERED' },
  invalidArgument: { kind: 'error', httpStatus: 400, status: 'INVALID_ARGUMENT', errorCode: 'INVALID_ARGUMENT' },
  unavailable: { kind: 'error', httpStatus: 503, status: 'UNAVAILABLE', errorCode: 'UNAVAILABLE' },
  internal: { kind: 'error', httpStatus: 500, status: 'INTERNAL', errorCode: 'INTERNAL' },
  quotaExceeded: { kind: 'error', httpStatus: 429, status: 'RESOURCE_EXHAUSTED', errorCode: 'QUOTA_EXCEEDED' },
  senderIdMismatch: { kind: 'error', httpStatus: 403, status: 'PERMISSION_DENIED', errorCode: 'SENDER_ID_MISMATCH' },
} as const satisfies Record<string, FcmReply>;

export interface FakeFcm {
  readonly port: number;
  readonly requests: FcmRequest[];
  /** Bodies refused with 400 INVALID_ARGUMENT because FCM would refuse them, with the reasons (must stay empty). */
  readonly invalidMessages: { problems: string[]; body: string }[];
  /** Tokens issued by the OAuth endpoint, and how many. */
  readonly tokensIssued: number;
  /** Chooses the answer for each request (default: success). */
  reply(decide: (request: FcmRequest, attempt: number) => FcmReply): void;
  /** Most requests in flight at once, since start. */
  readonly maxInFlight: number;
  /**
   * An https.Agent that sends every firebase-admin request, whatever its host, to this fake over plain TCP.
   * Give it to firebase-admin through its supported `httpAgent` option.
   */
  agent(): Agent;
  /** A firebase-admin Credential that takes its access token from the fake's OAuth token endpoint. */
  credential(): { getAccessToken(): Promise<{ access_token: string; expires_in: number }> };
  /**
   * Lets an unmodified process reach the fake as if it were Google: the fake becomes its HTTPS egress proxy
   * (CONNECT to fcm.googleapis.com / oauth2.googleapis.com, TLS from a throwaway CA the process trusts) and hands out
   * a service account whose signed token requests it checks. Returns the environment for that process.
   */
  egress(): Promise<FcmEgress>;
  stop(): Promise<void>;
}

export interface FcmEgress {
  /** HTTPS_PROXY, NODE_USE_ENV_PROXY, NODE_EXTRA_CA_CERTS, NO_PROXY and FCM_SERVICE_ACCOUNT_JSON. */
  env: Record<string, string>;
  serviceAccount: { project_id: string; client_email: string; private_key: string };
}

/** The hosts the egress proxy intercepts; anything else is refused (403), never tunnelled out. */
const GOOGLE_HOSTS = ['fcm.googleapis.com', 'oauth2.googleapis.com'];

/**
 * Control endpoints for a fake in another process (e2e): `GET /fake/requests` lists what was sent,
 * `PUT /fake/replies/<token>` sets the answer for one push token.
 */
const CONTROL_PREFIX = '/fake/';

function jwtSignedBy(assertion: string, key: KeyObject, issuer: string): boolean {
  const [header, payload, signature] = assertion.split('.');
  if (!header || !payload || !signature) return false;
  const valid = verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url'));
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { iss?: string; exp?: number };
  return valid && claims.iss === issuer && (claims.exp ?? 0) * 1000 > Date.now();
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => void (body += chunk));
    request.on('end', () => resolve(body));
    request.on('error', reject);
  });
}

/**
 * A local server that speaks the FCM HTTP v1 protocol (`POST /v1/projects/<id>/messages:send`, Google error
 * bodies with `google.firebase.fcm.v1.FcmError` details) and an OAuth token endpoint. FCM cannot be reached from the
 * machines that build Vigil; this is the one stand-in the project allows.
 */
export async function startFakeFcm(): Promise<FakeFcm> {
  const requests: FcmRequest[] = [];
  const invalidMessages: { problems: string[]; body: string }[] = [];
  const attempts = new Map<string, number>();
  const tokenReplies = new Map<string, FcmReply>();
  let decide: (request: FcmRequest, attempt: number) => FcmReply = (request) =>
    tokenReplies.get(String(request.message['token'])) ?? { kind: 'ok' };
  let account: { json: FcmEgress['serviceAccount']; publicKey: KeyObject } | null = null;
  let tls: TestTls | null = null;
  let tokensIssued = 0;
  let inFlight = 0;
  let maxInFlight = 0;

  const send = async (response: ServerResponse, reply: FcmReply, projectId: string): Promise<void> => {
    if (reply.kind === 'delay') {
      await new Promise((resolve) => setTimeout(resolve, reply.ms));
      return send(response, reply.then, projectId);
    }
    if (reply.kind === 'ok') {
      response.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
      response.end(JSON.stringify({ name: `projects/${projectId}/messages/${randomUUID()}` }));
      return;
    }
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=UTF-8' };
    if (reply.retryAfterSeconds !== undefined) headers['retry-after'] = String(reply.retryAfterSeconds);
    response.writeHead(reply.httpStatus, headers);
    response.end(JSON.stringify({
      error: {
        code: reply.httpStatus,
        message: `fake FCM: ${reply.status}`,
        status: reply.status,
        details: reply.errorCode ? [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: reply.errorCode }] : [],
      },
    }));
  };

  const server = createServer(async (request, response) => {
    const body = await readBody(request);
    if (request.url?.startsWith(CONTROL_PREFIX)) {
      control(request, response, body);
      return;
    }
    if (request.method === 'POST' && request.url?.startsWith('/token')) {
      // A real token request carries a JWT signed with the service account's key: check it like Google would.
      const assertion = new URLSearchParams(body).get('assertion');
      if (assertion !== null && !(account && jwtSignedBy(assertion, account.publicKey, account.json.client_email))) {
        response.writeHead(400, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: 'invalid_grant', error_description: 'Invalid JWT Signature.' }));
        return;
      }
      tokensIssued += 1;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ access_token: `fake-access-token-${tokensIssued}`, expires_in: 3600, token_type: 'Bearer' }));
      return;
    }
    const match = /^\/v1\/projects\/([^/]+)\/messages:send$/.exec(request.url ?? '');
    if (request.method !== 'POST' || !match) {
      response.writeHead(404).end();
      return;
    }
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      // A body FCM would refuse is refused here too, as FCM answers it (and recorded nowhere: nothing was sent).
      let problems: string[];
      try {
        problems = fcmMessageProblems(JSON.parse(body));
      } catch {
        problems = ['body: not JSON'];
      }
      if (problems.length > 0) {
        invalidMessages.push({ problems, body });
        response.writeHead(400, { 'content-type': 'application/json; charset=UTF-8' });
        response.end(JSON.stringify({ error: { code: 400, message: `Invalid message: ${problems.join('; ')}`, status: 'INVALID_ARGUMENT', details: [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: 'INVALID_ARGUMENT' }] } }));
        return;
      }
      const parsed = JSON.parse(body) as { message: Record<string, unknown> };
      const record: FcmRequest = { host: request.headers.host, projectId: match[1] ?? '', authorization: request.headers.authorization, message: parsed.message, receivedAt: Date.now() };
      requests.push(record);
      const key = JSON.stringify((parsed.message['data'] as Record<string, string> | undefined)?.['challengeId'] ?? '');
      const attempt = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, attempt);
      await send(response, decide(record, attempt), record.projectId);
    } finally {
      inFlight -= 1;
    }
  });
  function control(request: IncomingMessage, response: ServerResponse, body: string): void {
    const path = (request.url ?? '').slice(CONTROL_PREFIX.length);
    if (request.method === 'GET' && path === 'requests') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(requests));
    } else if (request.method === 'PUT' && path.startsWith('replies/')) {
      tokenReplies.set(decodeURIComponent(path.slice('replies/'.length)), JSON.parse(body) as FcmReply);
      response.writeHead(204).end();
    } else {
      response.writeHead(404).end();
    }
  }

  // The egress proxy: terminate TLS for Google's hosts with the test CA's certificate and serve the fake behind it.
  server.on('connect', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    const [host, targetPort] = (request.url ?? '').split(':');
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

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  class ToFake extends Agent {
    override createConnection(): Socket {
      return connect(port, '127.0.0.1');
    }
  }

  return {
    port,
    requests,
    invalidMessages,
    get tokensIssued() {
      return tokensIssued;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    reply: (fn) => void (decide = fn),
    agent: () => new ToFake({ keepAlive: true }),
    credential: () => ({
      async getAccessToken() {
        const response = await fetch(`http://127.0.0.1:${port}/token`, { method: 'POST', body: 'grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer' });
        return (await response.json()) as { access_token: string; expires_in: number };
      },
    }),
    async egress() {
      tls ??= await createTestTls(GOOGLE_HOSTS);
      if (!account) {
        const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
        const json = {
          type: 'service_account',
          project_id: 'vigil-fake-project',
          client_email: 'vigil-push@vigil-fake-project.iam.gserviceaccount.com',
          private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
          token_uri: 'https://oauth2.googleapis.com/token',
        };
        account = { json, publicKey: createPublicKey(publicKey.export({ type: 'spki', format: 'pem' })) };
      }
      return {
        serviceAccount: account.json,
        env: {
          HTTPS_PROXY: `http://127.0.0.1:${port}`,
          NODE_USE_ENV_PROXY: '1',
          NO_PROXY: 'localhost,127.0.0.1,::1',
          NODE_EXTRA_CA_CERTS: tls.caFile,
          FCM_SERVICE_ACCOUNT_JSON: JSON.stringify(account.json),
        },
      };
    },
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
