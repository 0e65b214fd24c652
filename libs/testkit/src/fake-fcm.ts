import { Agent } from 'node:https';
import { connect, type Socket } from 'node:net';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';

/** One `messages:send` call as the fake received it. */
export interface FcmRequest {
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
  stop(): Promise<void>;
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
  const attempts = new Map<string, number>();
  let decide: (request: FcmRequest, attempt: number) => FcmReply = () => ({ kind: 'ok' });
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
    if (request.method === 'POST' && request.url?.startsWith('/token')) {
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
      const parsed = JSON.parse(body) as { message: Record<string, unknown> };
      const record: FcmRequest = { projectId: match[1] ?? '', authorization: request.headers.authorization, message: parsed.message, receivedAt: Date.now() };
      requests.push(record);
      const key = JSON.stringify((parsed.message['data'] as Record<string, string> | undefined)?.['challengeId'] ?? '');
      const attempt = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, attempt);
      await send(response, decide(record, attempt), record.projectId);
    } finally {
      inFlight -= 1;
    }
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
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
