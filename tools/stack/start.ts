// `npm start`: the whole of Vigil on this machine (CONTRACT §1). Provisions Kafka, Redis and MongoDB unless
// KAFKA_BROKERS, REDIS_URL and MONGO_URL are set, starts the five services as their own processes, writes
// .vigil/stack.json once every /readyz answers 200, and stops everything it started on Ctrl-C or SIGTERM.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createKafka, ensureTopics } from '@vigil/kafka';
import { createLogger } from '@vigil/logger';
import { provideInfra, startProcess, type Infra, type ManagedProcess } from '@vigil/testkit';
import { loadDevSecrets } from './dev-secrets.ts';
import { portIsFree, waitUntilReady } from './readiness.ts';
import { DEV_API_KEYS, SERVICES } from './services.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const stateDir = resolve(process.env['VIGIL_STATE_DIR'] ?? join(root, '.vigil'));
const stackFile = join(stateDir, 'stack.json');
const log = createLogger({ name: 'stack' });
const READY_TIMEOUT_MS = 180_000;

const running: { name: string; proc: ManagedProcess }[] = [];
let infra: Infra | null = null;
let stopping = false;

async function stopAll(exitCode: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    log.info('stopping Vigil');
    rmSync(stackFile, { force: true });
    await Promise.allSettled(running.map(({ proc }) => proc.stop(15_000)));
    await infra?.stop();
    log.info('stopped');
  }
  process.exit(exitCode);
}

async function main(): Promise<void> {
  const ports = SERVICES.map((service) => ({ ...service, port: Number(process.env[service.portEnv] ?? service.defaultPort) }));
  for (const { name, portEnv, port } of ports) {
    if (!(await portIsFree(port))) throw new Error(`port ${port} for ${name} is in use; stop what holds it or set ${portEnv}`);
  }

  infra = await provideInfra({ log });
  const partitions = Number(process.env['KAFKA_TOPIC_PARTITIONS'] ?? 6);
  await ensureTopics(createKafka({ brokers: infra.kafkaBrokers, clientId: 'vigil-stack', log }), { partitions, replicationFactor: 1 });

  const secrets = loadDevSecrets(stateDir);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    REDIS_URL: infra.redisUrl,
    MONGO_URL: infra.mongoUrl,
    VIGIL_API_KEYS: process.env['VIGIL_API_KEYS'] ?? DEV_API_KEYS,
    VIGIL_SERVER_SIGNING_KEY: process.env['VIGIL_SERVER_SIGNING_KEY'] ?? secrets.serverSigningKey,
    VIGIL_SECRET_KEYS: process.env['VIGIL_SECRET_KEYS'] ?? secrets.secretKeys,
    ...Object.fromEntries(ports.map(({ portEnv, port }) => [portEnv, String(port)])),
  };

  for (const { name } of ports) {
    const proc = startProcess(name, process.execPath, [join(root, 'services', name, 'src', 'main.ts')], {
      cwd: root,
      env,
      onLine: (line) => process.stdout.write(`[${name}] ${line}\n`),
    });
    running.push({ name, proc });
    void proc.exited.then((code) => {
      if (stopping) return;
      log.error({ service: name, code }, 'service exited unexpectedly; stopping the stack');
      void stopAll(1);
    });
  }

  const services = Object.fromEntries(ports.map(({ name, port }) => [name, `http://127.0.0.1:${port}`]));
  await Promise.all(ports.map(({ name }) => {
    const proc = running.find((entry) => entry.name === name)?.proc;
    return waitUntilReady(services[name] as string, READY_TIMEOUT_MS, () => !stopping && proc !== undefined);
  }));

  mkdirSync(stateDir, { recursive: true });
  writeFileSync(stackFile, `${JSON.stringify({ kafkaBrokers: infra.kafkaBrokers.join(','), redisUrl: infra.redisUrl, mongoUrl: infra.mongoUrl, services }, null, 2)}\n`);
  log.info({ stackFile, services, infrastructure: infra.origins }, 'Vigil is ready (Ctrl-C stops everything)');
}

process.once('SIGINT', () => void stopAll(0));
process.once('SIGTERM', () => void stopAll(0));
main().catch((error: unknown) => {
  log.error({ err: error }, 'Vigil could not start');
  void stopAll(1);
});
