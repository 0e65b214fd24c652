import { existsSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startProcess, type Infra, type ManagedProcess } from '@vigil/testkit';
import { loadDevSecrets } from './dev-secrets.ts';
import { DEV_API_KEYS, SERVICES, type ServiceName } from './services.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface ServicePlan {
  name: ServiceName;
  port: number;
  baseUrl: string;
}

/** Where each service listens: the contract's ports unless `<NAME>_PORT` says otherwise. */
export function servicePlan(env: NodeJS.ProcessEnv = process.env): ServicePlan[] {
  return SERVICES.map((service) => {
    const port = Number(env[service.portEnv] ?? service.defaultPort);
    return { name: service.name, port, baseUrl: `http://127.0.0.1:${port}` };
  });
}

/**
 * V8 heap limits for a service: a small old space and young generation keep RSS near 150 MB under load (V8 otherwise
 * grows the heap toward the machine's memory before collecting: ~300 MB per service in `npm run bench`). Flags given
 * in NODE_OPTIONS come later and win.
 */
export const SERVICE_NODE_OPTIONS = '--max-old-space-size=96 --max-semi-space-size=4';

/** The environment every service process gets: servers, keys (dev ones persisted in the state folder) and ports. */
export function serviceEnvironment(infra: Pick<Infra, 'kafkaBrokers' | 'redisUrl' | 'mongoUrl'>, stateDir: string, plan: ServicePlan[], base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const secrets = loadDevSecrets(stateDir);
  return {
    ...base,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    REDIS_URL: infra.redisUrl,
    MONGO_URL: infra.mongoUrl,
    VIGIL_API_KEYS: base['VIGIL_API_KEYS'] ?? DEV_API_KEYS,
    VIGIL_SERVER_SIGNING_KEY: base['VIGIL_SERVER_SIGNING_KEY'] ?? secrets.serverSigningKey,
    VIGIL_SECRET_KEYS: base['VIGIL_SECRET_KEYS'] ?? secrets.secretKeys,
    NODE_OPTIONS: [SERVICE_NODE_OPTIONS, base['NODE_OPTIONS']].filter(Boolean).join(' '),
    ...Object.fromEntries(plan.map(({ name, port }) => [SERVICES.find((service) => service.name === name)?.portEnv ?? '', String(port)])),
  };
}

/** The bundle a service runs from, as in the image (`tools/build/bundle-services.ts` writes it). */
export function serviceBundle(name: ServiceName): string {
  return join(root, 'services', name, 'dist', 'main.js');
}

/** Starts one service as its own process (`node services/<name>/dist/main.js`); bundle it first (`bundleServices`). */
export function startServiceProcess(name: ServiceName, env: NodeJS.ProcessEnv, onLine?: (line: string) => void): ManagedProcess {
  const bundle = serviceBundle(name);
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: bundle the services first (node tools/build/bundle-services.ts)`);
  // Its own process group: Ctrl-C in a terminal reaches the launcher only, which stops each service with one SIGTERM.
  // Given the terminal's SIGINT too, a service took the launcher's SIGTERM as a second signal and exited at once,
  // without draining (close-with-grace). The launcher's exit hook still kills whatever it leaves behind.
  return startProcess(name, process.execPath, [bundle], { cwd: root, env, detached: true, ...(onLine ? { onLine } : {}) });
}
