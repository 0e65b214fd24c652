import { defineConfig } from 'vitest/config';
import EndToEndLastAbuse from './test/e2e/sequencer.ts';

// Two tiers (ARCHITECTURE §5): `unit` needs no servers; `integration` shares one set of real Kafka, Redis and
// MongoDB servers started once per run by the testkit's global setup.
export default defineConfig({
  test: {
    sequence: { sequencer: EndToEndLastAbuse },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{libs,services,tools,test}/**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/*.int.test.ts', '**/*.e2e.test.ts', '**/*.fault.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['{libs,services,tools,test}/**/*.int.test.ts'],
          exclude: ['**/node_modules/**', 'test/e2e/**'],
          environment: 'node',
          globalSetup: ['libs/testkit/src/vitest-global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          pool: 'forks',
        },
      },
      {
        // The five services as separate processes, started by the `npm start` launcher on servers it provisions,
        // driven only over HTTP and Kafka.
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.test.ts'],
          environment: 'node',
          // After unit and integration, one file at a time: each e2e file runs whole stacks of processes, and the
          // suite must fit two cores.
          sequence: { groupOrder: 1 },
          fileParallelism: false,
          globalSetup: ['test/e2e/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 240_000,
          pool: 'forks',
        },
      },
      {
        // `npm run test:faults`: SIGKILLs, a broker restart and a Redis outage under load, on servers of its own.
        test: {
          name: 'faults',
          include: ['test/faults/**/*.fault.test.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 900_000,
          hookTimeout: 300_000,
          pool: 'forks',
        },
      },
    ],
  },
});
