import { randomUUID } from 'node:crypto';
import { SpanKind, context, propagation } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOPICS } from '@vigil/events';
import { createHttpApp, parseApiKeys, staticApiKeys, type VigilApp } from '@vigil/http';
import { EventProducer, createKafka, ensureTopics, runConsumer, type RunningConsumer } from '@vigil/kafka';
import { createLogger } from '@vigil/logger';
import { sampleEvent, waitFor } from '@vigil/testkit';
import { testInfra } from '@vigil/testkit/vitest';
import { startTracing } from '../src/index.ts';

// One trace from an HTTP request through a Kafka event to the HTTP call its consumer makes: the path of a login
// system's push (challenge HTTP → vigil.challenges.v1 → notification → FCM).

const infra = testInfra();
const log = createLogger({ name: 'tracing-test', level: 'silent' });
const exporter = new InMemorySpanExporter();
const tracing = await startTracing({ service: 'tracing-test', endpoint: null, spanProcessor: new SimpleSpanProcessor(exporter) });
const kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: 'tracing-test', log });
const producer = new EventProducer(kafka);
const apps: VigilApp[] = [];
let consumer: RunningConsumer | undefined;

function app(): VigilApp {
  const created = createHttpApp({ service: 'tracing-test', logger: log, apiKeys: staticApiKeys(parseApiKeys('acme:auth:auth-key-1')), readiness: [] });
  apps.push(created);
  return created;
}

beforeAll(async () => {
  await ensureTopics(kafka, { partitions: 3, replicationFactor: 1 });
  await producer.connect();
});

afterAll(async () => {
  await consumer?.stop();
  await producer.disconnect();
  await Promise.all(apps.map((each) => each.close()));
  await tracing.shutdown();
});

describe('tracing', () => {
  it('carries one trace from HTTP through Kafka headers to HTTP', async () => {
    const tenantId = `t-${randomUUID().slice(0, 8)}`;
    const downstream = app();
    let downstreamTraceparent: string | undefined;
    downstream.post('/wake', async (request) => {
      downstreamTraceparent = String(request.headers['traceparent']);
      return { ok: true };
    });
    const downstreamUrl = await downstream.listen({ port: 0, host: '127.0.0.1' });

    const upstream = app();
    upstream.post('/push', { config: { scope: 'auth' } }, async () => {
      await producer.publish(sampleEvent('vigil.challenge.created', { tenantId, userId: 'alice' }));
      return { ok: true };
    });
    const upstreamUrl = await upstream.listen({ port: 0, host: '127.0.0.1' });

    consumer = await runConsumer({
      kafka, producer, log, groupId: `tracing-${tenantId}`, topics: [TOPICS.challenges], fromBeginning: true,
      handle: async (event) => {
        if ((event.data as { tenantId: string }).tenantId !== tenantId) return;
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        propagation.inject(context.active(), headers);
        await fetch(`${downstreamUrl}/wake`, { method: 'POST', headers, body: '{}' });
      },
    });
    await consumer.joined;

    const callerTraceId = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
    const answer = await fetch(`${upstreamUrl}/push`, {
      method: 'POST',
      headers: { authorization: 'Bearer auth-key-1', 'content-type': 'application/json', traceparent: `00-${callerTraceId}-1111111111111111-01` },
      body: '{}',
    });
    expect(answer.status).toBe(200);
    await waitFor(() => downstreamTraceparent !== undefined, { what: 'the downstream call' });
    // The consumer's span ends only after the downstream answer reaches it, which can be after the downstream span.
    const names = ['POST /push', `publish ${TOPICS.challenges}`, `process ${TOPICS.challenges}`, 'POST /wake'];
    const traceSpans = () => exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === callerTraceId);
    await waitFor(() => names.every((name) => traceSpans().some((span) => span.name === name)), { what: 'the four spans of the trace' });

    const spans = traceSpans();
    const byName = (name: string) => spans.find((span) => span.name === name);
    const server = byName('POST /push');
    const publish = byName(`publish ${TOPICS.challenges}`);
    const processing = byName(`process ${TOPICS.challenges}`);
    const wake = byName('POST /wake');
    expect(server?.kind).toBe(SpanKind.SERVER);
    expect(server?.parentSpanContext?.spanId).toBe('1111111111111111');
    expect(publish?.kind).toBe(SpanKind.PRODUCER);
    expect(publish?.parentSpanContext?.spanId).toBe(server?.spanContext().spanId);
    expect(processing?.kind).toBe(SpanKind.CONSUMER);
    expect(processing?.parentSpanContext?.spanId).toBe(publish?.spanContext().spanId);
    expect(wake?.parentSpanContext?.spanId).toBe(processing?.spanContext().spanId);
    expect(downstreamTraceparent).toContain(callerTraceId);
  });
});
