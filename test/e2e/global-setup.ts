import type { TestProject } from 'vitest/node';
import { startStack } from './stack.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    stack: { stateDir: string; services: Record<string, string>; kafkaBrokers: string[] };
  }
}

/** One running Vigil (five processes and their servers) shared by every e2e file, stopped at the end. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stack = await startStack({
    VIGIL_API_KEYS: 'acme:admin:dev-admin-key,acme:auth:dev-auth-key,acme:soc:dev-soc-key,globex:auth:globex-auth-key',
    // Short enough to watch a challenge expire in a test, long enough for every flow to answer in time.
    CHALLENGE_TTL_SECONDS: '12',
  });
  project.provide('stack', { stateDir: stack.stateDir, services: stack.services, kafkaBrokers: stack.kafkaBrokers });
  return () => stack.stop();
}
