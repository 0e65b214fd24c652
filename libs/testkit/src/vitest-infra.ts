import { inject } from 'vitest';

export interface TestInfra {
  kafkaBrokers: string[];
  redisUrl: string;
  mongoUrl: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    infra: TestInfra;
  }
}

/** The servers that the integration run's global setup started or borrowed (libs/testkit/src/vitest-global-setup.ts). */
export function testInfra(): TestInfra {
  return inject('infra');
}
