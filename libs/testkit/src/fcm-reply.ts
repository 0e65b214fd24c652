import type { ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';

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

const FCM_ERROR_TYPE = 'type.googleapis.com/google.firebase.fcm.v1.FcmError';

/** Writes `reply` as FCM HTTP v1 does: a message name, or a Google error body with `FcmError` details. */
export async function writeFcmReply(response: ServerResponse, reply: FcmReply, projectId: string): Promise<void> {
  if (reply.kind === 'delay') {
    await new Promise((resolve) => setTimeout(resolve, reply.ms));
    return writeFcmReply(response, reply.then, projectId);
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
      details: reply.errorCode ? [{ '@type': FCM_ERROR_TYPE, errorCode: reply.errorCode }] : [],
    },
  }));
}

/** FCM's 400 INVALID_ARGUMENT for a message it refuses, naming what is wrong with it. */
export function writeInvalidMessage(response: ServerResponse, problems: readonly string[]): void {
  response.writeHead(400, { 'content-type': 'application/json; charset=UTF-8' });
  response.end(JSON.stringify({ error: { code: 400, message: `Invalid message: ${problems.join('; ')}`, status: 'INVALID_ARGUMENT', details: [{ '@type': FCM_ERROR_TYPE, errorCode: 'INVALID_ARGUMENT' }] } }));
}
