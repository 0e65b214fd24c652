import { Agent } from 'node:https';
import { connect, type Socket } from 'node:net';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { answerControl, isControlRequest } from './fcm-control-endpoint.ts';
import { interceptGoogleConnects, openEgress, type EgressSetup, type FcmEgress } from './fcm-egress-proxy.ts';
import type { FcmReply } from './fcm-reply.ts';
import { messagesSendEndpoint, sendProject, type FcmRequest, type SendEndpoint } from './fcm-send-endpoint.ts';
import { fakeTokenCredential, oauthTokenEndpoint, type TokenEndpoint } from './fake-google-oauth.ts';

export { FCM_ERRORS, type FcmReply } from './fcm-reply.ts';
export type { FcmRequest } from './fcm-send-endpoint.ts';
export type { FcmEgress } from './fcm-egress-proxy.ts';

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

/** What the fake's one server routes to. */
interface FakeFcmEndpoints {
  sends: SendEndpoint;
  tokens: TokenEndpoint;
  tokenReplies: Map<string, FcmReply>;
  egress: EgressSetup;
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

function fakeFcmServer(endpoints: FakeFcmEndpoints): Server {
  const { sends, tokens, tokenReplies, egress } = endpoints;
  const server = createServer(async (request, response) => {
    const body = await readBody(request);
    if (isControlRequest(request)) {
      answerControl(request, response, body, { requests: sends.requests, tokenReplies });
      return;
    }
    if (request.method === 'POST' && request.url?.startsWith('/token')) {
      tokens.answer(body, response, egress.account);
      return;
    }
    const projectId = sendProject(request);
    if (projectId === null) {
      response.writeHead(404).end();
      return;
    }
    await sends.answer(request, response, body, projectId);
  });
  interceptGoogleConnects(server, egress);
  return server;
}

/** An https.Agent whose every connection, whatever the host, is plain TCP to the fake on `fakePort`. */
class AgentToFake extends Agent {
  readonly fakePort: number;
  constructor(fakePort: number) {
    super({ keepAlive: true });
    this.fakePort = fakePort;
  }
  override createConnection(): Socket {
    return connect(this.fakePort, '127.0.0.1');
  }
}

/**
 * A local server that speaks the FCM HTTP v1 protocol (`POST /v1/projects/<id>/messages:send`, Google error
 * bodies with `google.firebase.fcm.v1.FcmError` details) and an OAuth token endpoint. FCM cannot be reached from the
 * machines that build Vigil; this is the one stand-in the project allows.
 */
export async function startFakeFcm(): Promise<FakeFcm> {
  const tokenReplies = new Map<string, FcmReply>();
  const sends = messagesSendEndpoint((request) => tokenReplies.get(String(request.message['token'])) ?? { kind: 'ok' });
  const tokens = oauthTokenEndpoint();
  const egress: EgressSetup = { tls: null, account: null };
  const server = fakeFcmServer({ sends, tokens, tokenReplies, egress });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    requests: sends.requests,
    invalidMessages: sends.invalidMessages,
    get tokensIssued() {
      return tokens.issued;
    },
    get maxInFlight() {
      return sends.maxInFlight;
    },
    reply: (fn) => void (sends.decide = fn),
    agent: () => new AgentToFake(port),
    credential: () => fakeTokenCredential(port),
    egress: () => openEgress(egress, port),
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
