import { propagation } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-node';

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
 * until an operator asks for it — the SDK and exporter are not even loaded without one (~12 MB RSS per process).
 */
export async function startTracing(options: TracingOptions): Promise<{ shutdown(): Promise<void> }> {
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  if (!options.spanProcessor && !options.endpoint) return { shutdown: async () => {} };
  const [{ BatchSpanProcessor, NodeTracerProvider }, { resourceFromAttributes }] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/resources'),
  ]);
  const processor = options.spanProcessor
    ?? new BatchSpanProcessor(new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter({ url: options.endpoint as string }));
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': `vigil-${options.service}`, 'service.namespace': 'vigil' }),
    spanProcessors: [processor],
  });
  provider.register();
  return { shutdown: () => provider.shutdown() };
}
