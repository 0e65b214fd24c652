import type { TestProject } from 'vitest/node';
import { startFakeFcm } from '@vigil/testkit';
import { startStack } from '../../tools/stack/spawn-stack.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    stack: { stateDir: string; services: Record<string, string>; kafkaBrokers: string[]; console: string | null };
    /** The fake FCM's control endpoints (`/fake/requests`, `/fake/replies/<token>`). */
    fakeFcmUrl: string;
  }
}

/**
 * One running Vigil (five processes and their servers) shared by every e2e file, stopped at the end.
 * The notification process sends real firebase-admin pushes: the fake FCM is its HTTPS egress proxy (Node's
 * NODE_USE_ENV_PROXY, a test CA in NODE_EXTRA_CA_CERTS), so nothing in the service knows it is under test.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const fcm = await startFakeFcm();
  const egress = await fcm.egress();
  const stack = await startStack({
    // The abuse tenant keeps generated traffic (throttles, alerts, suspensions) away from the other files' users.
    VIGIL_API_KEYS: 'acme:admin:dev-admin-key,acme:auth:dev-auth-key,acme:soc:dev-soc-key,globex:auth:globex-auth-key,abuse:admin:abuse-admin-key,abuse:auth:abuse-auth-key,abuse:soc:abuse-soc-key',
    // Short enough to watch a challenge expire in a test, long enough for every flow to answer in time.
    CHALLENGE_TTL_SECONDS: '12',
    ...egress.env,
  });
  project.provide('stack', { stateDir: stack.stateDir, services: stack.services, kafkaBrokers: stack.kafkaBrokers, console: stack.console });
  project.provide('fakeFcmUrl', `http://127.0.0.1:${fcm.port}`);
  return async () => {
    await stack.stop();
    await fcm.stop();
  };
}
