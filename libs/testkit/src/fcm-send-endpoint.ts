import type { IncomingMessage, ServerResponse } from 'node:http';
import { fcmMessageProblems } from './fcm-message-check.ts';
import { writeFcmReply, writeInvalidMessage, type FcmReply } from './fcm-reply.ts';

/** One `messages:send` call as the fake received it. */
export interface FcmRequest {
  /** The Host the client addressed: `fcm.googleapis.com` when it came through the egress proxy. */
  host: string | undefined;
  projectId: string;
  authorization: string | undefined;
  message: Record<string, unknown>;
  receivedAt: number;
}

/** Chooses the answer to a request; `attempt` counts the sends of its challenge, from 1. */
export type ReplyChooser = (request: FcmRequest, attempt: number) => FcmReply;

/** `POST /v1/projects/<id>/messages:send`, with the project id captured. */
const SEND_PATH = /^\/v1\/projects\/([^/]+)\/messages:send$/;

/** The project a `messages:send` request is for, or null when the request is anything else. */
export function sendProject(request: IncomingMessage): string | null {
  const match = SEND_PATH.exec(request.url ?? '');
  if (request.method !== 'POST' || !match) return null;
  return match[1] ?? '';
}

export interface SendEndpoint {
  readonly requests: FcmRequest[];
  /** Bodies refused with 400 INVALID_ARGUMENT because FCM would refuse them, with the reasons. */
  readonly invalidMessages: { problems: string[]; body: string }[];
  /** Most requests in flight at once, since start. */
  readonly maxInFlight: number;
  decide: ReplyChooser;
  answer(request: IncomingMessage, response: ServerResponse, body: string, projectId: string): Promise<void>;
}

function messageProblems(body: string): string[] {
  try {
    return fcmMessageProblems(JSON.parse(body));
  } catch {
    return ['body: not JSON'];
  }
}

/** Counts the sends of a message's challenge (its `data.challengeId`), this one included. */
function countAttempt(attempts: Map<string, number>, message: Record<string, unknown>): number {
  const key = JSON.stringify((message['data'] as Record<string, string> | undefined)?.['challengeId'] ?? '');
  const attempt = (attempts.get(key) ?? 0) + 1;
  attempts.set(key, attempt);
  return attempt;
}

/** The `messages:send` handler: checks and records each message, then answers as `decide` says. */
export function messagesSendEndpoint(decide: ReplyChooser): SendEndpoint {
  const requests: FcmRequest[] = [];
  const invalidMessages: { problems: string[]; body: string }[] = [];
  const attempts = new Map<string, number>();
  let inFlight = 0;
  let maxInFlight = 0;
  const endpoint: SendEndpoint = {
    requests,
    invalidMessages,
    get maxInFlight() {
      return maxInFlight;
    },
    decide,
    async answer(request, response, body, projectId) {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        // A body FCM would refuse is refused here too, as FCM answers it (and recorded nowhere: nothing was sent).
        const problems = messageProblems(body);
        if (problems.length > 0) {
          invalidMessages.push({ problems, body });
          writeInvalidMessage(response, problems);
          return;
        }
        const parsed = JSON.parse(body) as { message: Record<string, unknown> };
        const record: FcmRequest = { host: request.headers.host, projectId, authorization: request.headers.authorization, message: parsed.message, receivedAt: Date.now() };
        requests.push(record);
        await writeFcmReply(response, endpoint.decide(record, countAttempt(attempts, parsed.message)), record.projectId);
      } finally {
        inFlight -= 1;
      }
    },
  };
  return endpoint;
}
