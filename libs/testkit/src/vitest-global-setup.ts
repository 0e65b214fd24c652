import type { TestProject } from 'vitest/node';
import { createLogger } from '@vigil/logger';
import { provideInfra } from './infra-provider.ts';

import type {} from './vitest-infra.ts';

/** Starts (or borrows) Kafka, Redis and MongoDB once for the integration run; tests read them with inject('infra'). */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const log = createLogger({ name: 'testkit', level: 'info' });
  const started = Date.now();
  const infra = await provideInfra({ log });
  log.info({ ms: Date.now() - started, origins: infra.origins }, 'test infrastructure ready');
  project.provide('infra', { kafkaBrokers: infra.kafkaBrokers, redisUrl: infra.redisUrl, mongoUrl: infra.mongoUrl });
  return () => infra.stop();
}
