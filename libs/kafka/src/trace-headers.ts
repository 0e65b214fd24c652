import { SpanKind, SpanStatusCode, context, propagation, trace, type Context, type Span } from '@opentelemetry/api';
import type { IHeaders } from 'kafkajs';

// W3C trace context through Kafka headers (traceparent/tracestate), with @opentelemetry/api only: without an SDK
// (no exporter configured) these are no-ops apart from carrying an incoming context onward.
const tracer = trace.getTracer('vigil-kafka');

/** A producer span for one message, and its context written into the message's headers. */
export function startPublishSpan(topic: string, eventType: string, headers: Record<string, string>): Span {
  const span = tracer.startSpan(`publish ${topic}`, {
    kind: SpanKind.PRODUCER,
    attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': topic, 'messaging.operation.type': 'send', 'cloudevents.event_type': eventType },
  });
  propagation.inject(trace.setSpan(context.active(), span), headers);
  return span;
}

export function endSpan(span: Span, error?: unknown): void {
  if (error) span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  span.end();
}

const headerGetter = {
  keys: (carrier: IHeaders) => Object.keys(carrier),
  get: (carrier: IHeaders, key: string) => {
    const value = carrier[key];
    const first = Array.isArray(value) ? value[0] : value;
    return first === undefined ? undefined : first.toString();
  },
};

/** A consumer span whose parent is the producer's context from the headers, and the context to handle it in. */
export function startProcessSpan(topic: string, partition: number, headers: IHeaders): { span: Span; context: Context } {
  const parent = propagation.extract(context.active(), headers, headerGetter);
  const span = tracer.startSpan(`process ${topic}`, {
    kind: SpanKind.CONSUMER,
    attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': topic, 'messaging.destination.partition.id': String(partition), 'messaging.operation.type': 'process' },
  }, parent);
  return { span, context: trace.setSpan(parent, span) };
}
