import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FcmReply } from './fcm-reply.ts';
import type { FcmRequest } from './fcm-send-endpoint.ts';

/**
 * Control endpoints for a fake in another process (e2e): `GET /fake/requests` lists what was sent,
 * `PUT /fake/replies/<token>` sets the answer for one push token.
 */
const CONTROL_PREFIX = '/fake/';

export function isControlRequest(request: IncomingMessage): boolean {
  return request.url?.startsWith(CONTROL_PREFIX) ?? false;
}

/** What the control endpoints read and change: the recorded requests, and the answer set per push token. */
export interface ControlledState {
  readonly requests: readonly FcmRequest[];
  readonly tokenReplies: Map<string, FcmReply>;
}

export function answerControl(request: IncomingMessage, response: ServerResponse, body: string, state: ControlledState): void {
  const path = (request.url ?? '').slice(CONTROL_PREFIX.length);
  if (request.method === 'GET' && path === 'requests') {
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(state.requests));
  } else if (request.method === 'PUT' && path.startsWith('replies/')) {
    state.tokenReplies.set(decodeURIComponent(path.slice('replies/'.length)), JSON.parse(body) as FcmReply);
    response.writeHead(204).end();
  } else {
    response.writeHead(404).end();
  }
}
