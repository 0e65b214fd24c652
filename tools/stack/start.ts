// `npm start`: the whole of Vigil on this machine (CONTRACT §1). Provisions Kafka, Redis and MongoDB unless
// KAFKA_BROKERS, REDIS_URL and MONGO_URL are set, bundles the five services and starts each as its own process, writes
// .vigil/stack.json once every /readyz answers 200, and stops everything it started on Ctrl-C or SIGTERM.
// The servers it starts keep their data in .vigil/data (VIGIL_DATA_DIR), so a restart remembers enrolled devices.
//   --fresh      wipe the data folder first: start from an empty Kafka, Redis and MongoDB
//   --ephemeral  keep nothing (temp folders and memory, as the tests' servers): what the e2e suite and the bench run
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createKafka, ensureTopics } from '@vigil/kafka';
import { createLogger, logProcessWarnings } from '@vigil/logger';
import { provideInfra, startProcess, type Infra, type ManagedProcess } from '@vigil/testkit';
import { bundleServices } from '../build/bundle-services.ts';
import { portIsFree, waitUntilReady } from './readiness.ts';
import { serviceEnvironment, servicePlan, startServiceProcess } from './service-processes.ts';
import { SERVICES } from './services.ts';

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

async function main(): Promise<void> {
  const ports = servicePlan();
  for (const { name, port } of ports) {
    const portEnv = SERVICES.find((service) => service.name === name)?.portEnv;
    if (!(await portIsFree(port))) throw new Error(`port ${port} for ${name} is in use; stop what holds it or set ${portEnv}`);
  }

  const consolePort = Number(process.env['CONSOLE_PORT'] ?? 8080);
  const withConsole = process.env['VIGIL_CONSOLE'] !== 'off';
  if (withConsole && !(await portIsFree(consolePort))) throw new Error(`port ${consolePort} for the web console is in use; stop what holds it, set CONSOLE_PORT, or VIGIL_CONSOLE=off`);

  // Services run from their bundles, as in the image: built afresh from the sources on every start (about a second).
  const bundling = performance.now();
  await bundleServices(ports.map(({ name }) => name));
  log.info({ ms: Math.round(performance.now() - bundling) }, 'services bundled');

  if (flags.fresh) {
    rmSync(dataDir, { recursive: true, force: true });
    log.info({ dataDir }, 'wiped the kept data (--fresh)');
  }
  infra = await provideInfra({ log, ...(flags.ephemeral ? {} : { dataDir }) });
  const partitions = Number(process.env['KAFKA_TOPIC_PARTITIONS'] ?? 6);
  await ensureTopics(createKafka({ brokers: infra.kafkaBrokers, clientId: 'vigil-stack', log }), { partitions, replicationFactor: 1 });

  const env = serviceEnvironment(infra, stateDir, ports);
  for (const { name } of ports) {
    const proc = startServiceProcess(name, env, (line) => process.stdout.write(`[${name}] ${line}\n`));
    running.push({ name, proc });
    void proc.exited.then((code) => {
      if (stopping) return;
      log.error({ service: name, code }, 'service exited unexpectedly; stopping the stack');
      void stopAll(1);
    });
  }

  const services = Object.fromEntries(ports.map(({ name, baseUrl }) => [name, baseUrl]));
  await Promise.all(ports.map(({ name }) => {
    const proc = running.find((entry) => entry.name === name)?.proc;
    return waitUntilReady(services[name] as string, READY_TIMEOUT_MS, () => !stopping && proc !== undefined);
  }));

  let consoleUrl: string | null = null;
  let consoleToken: string | null = null;
  if (withConsole) {
    // The console's gateway holds the tenant keys: it answers only requests carrying this token, minted per start
    // (or CONSOLE_TOKEN) and shown only in the ready line and stack.json, as Jupyter does.
    consoleToken = process.env['CONSOLE_TOKEN'] || randomBytes(32).toString('base64url');
    const proc = startProcess('console', process.execPath, [join(root, 'tools', 'console', 'server.ts')], {
      cwd: root,
      env: {
        ...process.env,
        KAFKA_BROKERS: infra.kafkaBrokers.join(','),
        CONSOLE_PORT: String(consolePort),
        CONSOLE_TOKEN: consoleToken,
        CONSOLE_ENROLLMENT_URL: services['enrollment'] as string,
        CONSOLE_CHALLENGE_URL: services['challenge'] as string,
        CONSOLE_VERIFICATION_URL: services['verification'] as string,
        CONSOLE_ANOMALY_URL: services['anomaly-detection'] as string,
      },
      onLine: (line) => process.stdout.write(`[console] ${line}\n`),
    });
    running.push({ name: 'console', proc });
    let alive = true;
    void proc.exited.then((code) => {
      alive = false;
      if (!stopping) log.error({ code }, 'the web console exited; the services keep running');
    });
    consoleUrl = `http://127.0.0.1:${consolePort}`;
    await waitUntilReady(consoleUrl, READY_TIMEOUT_MS, () => !stopping && alive);
  }

  mkdirSync(stateDir, { recursive: true });
  const pids = Object.fromEntries(running.map(({ name, proc }) => [name, proc.pid]));
  // Written whole, then renamed: whoever waits for the file never reads half of it. Readable by this user only: it
  // holds the console's token.
  writeFileSync(`${stackFile}.tmp`, `${JSON.stringify({ kafkaBrokers: infra.kafkaBrokers.join(','), redisUrl: infra.redisUrl, mongoUrl: infra.mongoUrl, services, console: consoleUrl, consoleToken, pids }, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${stackFile}.tmp`, stackFile);
  log.info({ stackFile, services, console: consoleUrl, infrastructure: infra.origins, dataDir: flags.ephemeral ? null : dataDir }, `Vigil is ready${consoleUrl ? `: open ${consoleUrl}/?token=${consoleToken}` : ''} (Ctrl-C stops everything)`);
}

process.once('SIGINT', () => void stopAll(0));
process.once('SIGTERM', () => void stopAll(0));
main().catch((error: unknown) => {
  log.error({ err: error }, 'Vigil could not start');
  void stopAll(1);
});
