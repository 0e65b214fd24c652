import type { Agent } from 'node:http';
import { initializeApp, deleteApp, type App, type Credential } from 'firebase-admin/app';
import { getMessaging } from 'firebase-admin/messaging';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { PushSendError, type PushSender } from '../domain/ports.ts';

const tracer = trace.getTracer('vigil-notification');

export interface FcmOptions {
  credential: Credential;
  projectId: string;
  /** Outbound HTTP agent (proxies, connection limits); firebase-admin's supported option. */
  httpAgent?: Agent;
}

function retryAfterMs(error: { httpResponse?: { headers?: Record<string, string> } }): number | null {
  const header = error.httpResponse?.headers?.['retry-after'];
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

/**
 * FCM through firebase-admin's `send()` (HTTP/1.1, one message per challenge). `sendEach` would switch to HTTP/2,
 * which ignores `httpAgent`; one message per challenge gains nothing from it anyway.
 */
export function fcmSender(options: FcmOptions): PushSender & { close(): Promise<void> } {
  const app: App = initializeApp({
    credential: options.credential,
    projectId: options.projectId,
    ...(options.httpAgent ? { httpAgent: options.httpAgent } : {}),
  }, `vigil-fcm-${Math.random().toString(36).slice(2)}`);
  const messaging = getMessaging(app);
  return {
    send: (message) => tracer.startActiveSpan('POST fcm messages:send', { kind: SpanKind.CLIENT, attributes: { 'server.address': 'fcm.googleapis.com' } }, async (span) => {
      try {
        return await messaging.send(message);
      } catch (error) {
        const failure = error as Error & { code?: string; httpResponse?: { headers?: Record<string, string> } };
        span.setStatus({ code: SpanStatusCode.ERROR, message: failure.code ?? 'messaging/unknown-error' });
        throw new PushSendError(failure.code ?? 'messaging/unknown-error', failure.message, retryAfterMs(failure));
      } finally {
        span.end();
      }
    }),
    close: () => deleteApp(app),
  };
}
