import { propagation } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, type SpanProcessor } from '@opentelemetry/sdk-trace-node';

export interface TracingOptions {
  service: string;
  /** OTLP/HTTP traces endpoint (e.g. http://otel-collector:4318/v1/traces); null: no export. */
  endpoint: string | null;
  /** Instead of the OTLP exporter (tests). */
  spanProcessor?: SpanProcessor;
}

/**
 * W3C trace context is always propagated (HTTP traceparent in, Kafka headers through), so a caller's trace survives
 * Vigil even when Vigil records nothing. Spans are recorded and exported only with an endpoint: tracing costs nothing
 * until an operator asks for it.
 */
export function startTracing(options: TracingOptions): { shutdown(): Promise<void> } {
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const processor = options.spanProcessor ?? (options.endpoint ? new BatchSpanProcessor(new OTLPTraceExporter({ url: options.endpoint })) : null);
  if (!processor) return { shutdown: async () => {} };
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': `vigil-${options.service}`, 'service.namespace': 'vigil' }),
    spanProcessors: [processor],
  });
  provider.register();
  return { shutdown: () => provider.shutdown() };
}
