// `npm start`: the whole of Vigil on this machine (CONTRACT §1). Provisions Kafka, Redis and MongoDB unless
// KAFKA_BROKERS, REDIS_URL and MONGO_URL are set, bundles the five services and starts each as its own process, writes
// .vigil/stack.json once every /readyz answers 200, and stops everything it started on Ctrl-C or SIGTERM.
// The servers it starts keep their data in .vigil/data (VIGIL_DATA_DIR), so a restart remembers enrolled devices.
//   --fresh      wipe the data folder first: start from an empty Kafka, Redis and MongoDB
//   --ephemeral  keep nothing (temp folders and memory, as the tests' servers): what the e2e suite and the bench run
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createKafka, ensureTopics } from '@vigil/kafka';
import { createLogger, logProcessWarnings } from '@vigil/logger';
import { provideInfra, startProcess, type Infra, type ManagedProcess } from '@vigil/testkit';
import { bundleServices } from '../build/bundle-services.ts';
import { portIsFree, waitUntilReady } from './readiness.ts';
import { serviceEnvironment, servicePlan, startServiceProcess, type ServicePlan } from './service-processes.ts';
import { SERVICES, type ServiceName } from './services.ts';
import { writeStackFile } from './stack-file.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const stateDir = resolve(process.env['VIGIL_STATE_DIR'] ?? join(root, '.vigil'));
const stackFile = join(stateDir, 'stack.json');
const dataDir = resolve(process.env['VIGIL_DATA_DIR'] ?? join(stateDir, 'data'));
const flags = startFlags();
const log = createLogger({ name: 'stack' });
logProcessWarnings(log);
const READY_TIMEOUT_MS = 180_000;

const running: { name: string; proc: ManagedProcess }[] = [];
let infra: Infra | null = null;
let stopping = false;

function startFlags(): { fresh: boolean; ephemeral: boolean } {
  try {
    return parseArgs({ options: { fresh: { type: 'boolean', default: false }, ephemeral: { type: 'boolean', default: false } } }).values;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\nusage: npm start [-- --fresh | --ephemeral]\n`);
    process.exit(2);
  }
}

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

/** The console is on unless VIGIL_CONSOLE=off; its port is CONSOLE_PORT, else 8080. */
function consolePlan(): { port: number; enabled: boolean } {
  return { port: Number(process.env['CONSOLE_PORT'] ?? 8080), enabled: process.env['VIGIL_CONSOLE'] !== 'off' };
}

/** Fails before anything starts when a port the stack needs is taken, naming the variable that moves it. */
async function checkPortsFree(ports: ServicePlan[], webConsole: { port: number; enabled: boolean }): Promise<void> {
  for (const { name, port } of ports) {
    const portEnv = SERVICES.find((service) => service.name === name)?.portEnv;
    if (!(await portIsFree(port))) throw new Error(`port ${port} for ${name} is in use; stop what holds it or set ${portEnv}`);
  }
  if (webConsole.enabled && !(await portIsFree(webConsole.port))) throw new Error(`port ${webConsole.port} for the web console is in use; stop what holds it, set CONSOLE_PORT, or VIGIL_CONSOLE=off`);
}

/** Kafka, Redis and MongoDB: kept in the data folder unless --ephemeral, wiped first with --fresh. */
async function provideStackInfra(): Promise<Infra> {
  if (flags.fresh) {
    rmSync(dataDir, { recursive: true, force: true });
    log.info({ dataDir }, 'wiped the kept data (--fresh)');
  }
  return provideInfra({ log, ...(flags.ephemeral ? {} : { dataDir }) });
}

/** Starts each service as its own process; one that exits on its own takes the whole stack down. */
function startServices(ports: ServicePlan[], env: NodeJS.ProcessEnv): void {
  for (const { name } of ports) {
    const proc = startServiceProcess(name, env, (line) => process.stdout.write(`[${name}] ${line}\n`));
    running.push({ name, proc });
    void proc.exited.then((code) => {
      if (stopping) return;
      log.error({ service: name, code }, 'service exited unexpectedly; stopping the stack');
      void stopAll(1);
    });
  }
}

async function waitForServices(ports: ServicePlan[]): Promise<void> {
  await Promise.all(ports.map(({ name, baseUrl }) => {
    const proc = running.find((entry) => entry.name === name)?.proc;
    return waitUntilReady(baseUrl, READY_TIMEOUT_MS, () => !stopping && proc !== undefined);
  }));
}

/** Starts the web console against the services and waits until it is ready; unlike a service, its exit stops nothing. */
async function startConsole(port: number, kafkaBrokers: string[], services: Record<ServiceName, string>): Promise<{ url: string; token: string }> {
  // The console's gateway holds the tenant keys: it answers only requests carrying this token, minted per start
  // (or CONSOLE_TOKEN) and shown only in the ready line and stack.json, as Jupyter does.
  const token = process.env['CONSOLE_TOKEN'] || randomBytes(32).toString('base64url');
  const proc = startProcess('console', process.execPath, [join(root, 'tools', 'console', 'server.ts')], {
    cwd: root,
    env: {
      ...process.env,
      KAFKA_BROKERS: kafkaBrokers.join(','),
      CONSOLE_PORT: String(port),
      CONSOLE_TOKEN: token,
      CONSOLE_ENROLLMENT_URL: services.enrollment,
      CONSOLE_CHALLENGE_URL: services.challenge,
      CONSOLE_VERIFICATION_URL: services.verification,
      CONSOLE_ANOMALY_URL: services['anomaly-detection'],
    },
    onLine: (line) => process.stdout.write(`[console] ${line}\n`),
  });
  running.push({ name: 'console', proc });
  let alive = true;
  void proc.exited.then((code) => {
    alive = false;
    if (!stopping) log.error({ code }, 'the web console exited; the services keep running');
  });
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(url, READY_TIMEOUT_MS, () => !stopping && alive);
  return { url, token };
}

async function main(): Promise<void> {
  const ports = servicePlan();
  const webConsole = consolePlan();
  await checkPortsFree(ports, webConsole);

  // Services run from their bundles, as in the image: built afresh from the sources on every start (about a second).
  const bundling = performance.now();
  await bundleServices(ports.map(({ name }) => name));
  log.info({ ms: Math.round(performance.now() - bundling) }, 'services bundled');

  infra = await provideStackInfra();
  const partitions = Number(process.env['KAFKA_TOPIC_PARTITIONS'] ?? 6);
  await ensureTopics(createKafka({ brokers: infra.kafkaBrokers, clientId: 'vigil-stack', log }), { partitions, replicationFactor: 1 });
  startServices(ports, serviceEnvironment(infra, stateDir, ports));
  const services = Object.fromEntries(ports.map(({ name, baseUrl }) => [name, baseUrl])) as Record<ServiceName, string>;
  await waitForServices(ports);
  const started = webConsole.enabled ? await startConsole(webConsole.port, infra.kafkaBrokers, services) : null;

  const pids = Object.fromEntries(running.map(({ name, proc }) => [name, proc.pid]));
  writeStackFile(stackFile, {
    kafkaBrokers: infra.kafkaBrokers.join(','), redisUrl: infra.redisUrl, mongoUrl: infra.mongoUrl, services,
    console: started?.url ?? null, consoleToken: started?.token ?? null, pids,
  });
  log.info({ stackFile, services, console: started?.url ?? null, infrastructure: infra.origins, dataDir: flags.ephemeral ? null : dataDir }, `Vigil is ready${started ? `: open ${started.url}/?token=${started.token}` : ''} (Ctrl-C stops everything)`);
}

process.once('SIGINT', () => void stopAll(0));
process.once('SIGTERM', () => void stopAll(0));
main().catch((error: unknown) => {
  log.error({ err: error }, 'Vigil could not start');
  void stopAll(1);
});
