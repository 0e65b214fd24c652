import { SpanKind, SpanStatusCode, context, propagation, trace, type Span } from '@opentelemetry/api';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

const tracer = trace.getTracer('vigil-http');
const spans = new WeakMap<FastifyRequest, Span>();

/**
 * A server span per request, continuing the caller's W3C trace context (traceparent), active while the request is
 * handled: events published from a handler carry it into Kafka. @opentelemetry/api only; the runtime decides whether
 * spans are recorded and exported.
 */
export const requestTracing = fp(async (app) => {
  app.addHook('onRequest', (request, _reply, done) => {
    const parent = propagation.extract(context.active(), request.headers);
    const route = request.routeOptions.url ?? 'unmatched';
    const span = tracer.startSpan(`${request.method} ${route}`, {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': request.method, 'http.route': route, 'url.path': request.url.split('?')[0] ?? '' },
    }, parent);
    spans.set(request, span);
    // The rest of the request (hooks, handler, their awaits) runs inside this context.
    context.with(trace.setSpan(parent, span), done);
  });
  app.addHook('onResponse', async (request, reply) => {
    const span = spans.get(request);
    if (!span) return;
    span.setAttribute('http.response.status_code', reply.statusCode);
    if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
}, { name: 'vigil-tracing', fastify: '5.x' });
