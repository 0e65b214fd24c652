import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, waitFor } from '@vigil/testkit';
import { SERVICES, type ServiceName } from './services.ts';

const root = resolve(import.meta.dirname, '../..');

export interface RunningStack {
  stateDir: string;
  services: Record<ServiceName, string>;
  kafkaBrokers: string[];
  redisUrl: string;
  /** The web console, when the launcher started one. */
  console: string | null;
  /** Process id of each service (for RSS readings). */
  pids: Record<ServiceName, number>;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts Vigil the way `npm start` does, on free ports, with its own servers and state folder. Its servers keep
 * nothing (`--ephemeral`): Kafka's log in a temp folder, Redis without an append-only file, MongoDB in memory.
 */
export async function startStack(env: Record<string, string> = {}): Promise<RunningStack> {
  const stateDir = mkdtempSync(join(tmpdir(), 'vigil-e2e-'));
  const ports = await Promise.all(SERVICES.map(() => freePort()));
  const childEnv: NodeJS.ProcessEnv = { ...process.env, VIGIL_STATE_DIR: stateDir, LOG_LEVEL: 'warn', ...env };
  for (const variable of ['KAFKA_BROKERS', 'REDIS_URL', 'MONGO_URL']) delete childEnv[variable];
  SERVICES.forEach((service, index) => void (childEnv[service.portEnv] = String(ports[index])));
  childEnv['CONSOLE_PORT'] ??= String(await freePort());
  const child = spawn(process.execPath, [join(root, 'tools/stack/start.ts'), '--ephemeral'], { cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => void (output = (output + chunk.toString()).slice(-20_000)));
  child.stderr.on('data', (chunk: Buffer) => void (output = (output + chunk.toString()).slice(-20_000)));
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const stackFile = join(stateDir, 'stack.json');
  try {
    await waitFor(() => existsSync(stackFile) || child.exitCode !== null, { timeoutMs: 200_000, intervalMs: 250, what: 'the stack' });
    if (!existsSync(stackFile)) throw new Error(`the stack did not start:\n${output}`);
  } catch (error) {
    child.kill('SIGTERM');
    throw error;
  }
  const stack = JSON.parse(readFileSync(stackFile, 'utf8')) as { kafkaBrokers: string; redisUrl: string; services: Record<ServiceName, string>; console: string | null; pids: Record<ServiceName, number> };
  return {
    stateDir,
    services: stack.services,
    kafkaBrokers: stack.kafkaBrokers.split(','),
    redisUrl: stack.redisUrl,
    console: stack.console,
    pids: Object.fromEntries(Object.entries(stack.pids).filter(([name]) => name !== 'console')) as Record<ServiceName, number>,
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
