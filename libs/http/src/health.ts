import fp from 'fastify-plugin';
import type { Registry } from 'prom-client';

/** One dependency the service needs to do its work (CONTRACT §1: Kafka, Redis, Mongo as used). */
export interface ReadinessCheck {
  name: string;
  check(): Promise<boolean>;
}

export interface HealthOptions {
  readiness: readonly ReadinessCheck[];
  metrics: Registry;
  /** Extra facts for /readyz (e.g. "fcm: poll-only"), never secrets. */
  details?: () => Record<string, unknown>;
  timeoutMs?: number;
}

async function probe(check: ReadinessCheck, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([check.check().catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** /healthz: the process answers. /readyz: every dependency answers (503 otherwise). /metrics: Prometheus text. */
export const healthRoutes = fp<HealthOptions>(async (app, options) => {
  const timeoutMs = options.timeoutMs ?? 1_500;
  app.get('/healthz', { logLevel: 'silent' }, async () => ({ status: 'ok' }));
  app.get('/readyz', { logLevel: 'silent' }, async (_request, reply) => {
    const results = await Promise.all(options.readiness.map(async (check) => [check.name, await probe(check, timeoutMs)] as const));
    const ready = results.every(([, ok]) => ok);
    return reply.status(ready ? 200 : 503).send({
      status: ready ? 'ready' : 'not_ready',
      checks: Object.fromEntries(results.map(([name, ok]) => [name, ok ? 'up' : 'down'])),
      ...(options.details ? { details: options.details() } : {}),
    });
  });
  app.get('/metrics', { logLevel: 'silent' }, async (_request, reply) =>
    reply.type(options.metrics.contentType).send(await options.metrics.metrics()),
  );
}, { name: 'vigil-health', fastify: '5.x' });
