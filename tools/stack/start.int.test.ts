import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, waitFor } from '@vigil/testkit';
import { SERVICES } from './services.ts';

const root = resolve(import.meta.dirname, '../..');
const stateDir = mkdtempSync(join(tmpdir(), 'vigil-stack-'));

afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

/** SIGTERM to the process group; one that is already gone is not an error (it would hide why npm start exited). */
function stopGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGTERM');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

describe('npm start', () => {
  it('provisions the servers, starts the five services and the console, writes stack.json, and stops everything on SIGTERM', async () => {
    const ports = await Promise.all(SERVICES.map(() => freePort()));
    const consolePort = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, VIGIL_STATE_DIR: stateDir, LOG_LEVEL: 'warn' };
    // The launcher must provision its own servers here, as on a fresh machine.
    for (const variable of ['KAFKA_BROKERS', 'REDIS_URL', 'MONGO_URL']) delete env[variable];
    SERVICES.forEach((service, index) => void (env[service.portEnv] = String(ports[index])));
    env['CONSOLE_PORT'] = String(consolePort);

    const child = spawn('npm', ['start'], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => void (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => void (output += chunk.toString()));
    const exited = new Promise<number | null>((resolveExit) => child.once('exit', resolveExit));

    try {
      const stackFile = join(stateDir, 'stack.json');
      await waitFor(() => existsSync(stackFile) || child.exitCode !== null, { timeoutMs: 180_000, intervalMs: 250, what: 'stack.json' })
        .catch((error: Error) => { throw new Error(`${error.message}\n${output.slice(-3000)}`); });
      if (!existsSync(stackFile)) throw new Error(`npm start exited before the stack was ready:\n${output.slice(-3000)}`);
      const stack = JSON.parse(readFileSync(stackFile, 'utf8')) as { kafkaBrokers: string; redisUrl: string; mongoUrl: string; services: Record<string, string>; console: string };
      expect(stack.console).toBe(`http://127.0.0.1:${consolePort}`);
      expect(await (await fetch(stack.console)).text()).toContain('<title>Vigil console</title>');
      expect(stack.kafkaBrokers).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(stack.redisUrl).toMatch(/^redis:\/\//);
      expect(stack.mongoUrl).toMatch(/^mongodb:\/\//);
      expect(Object.keys(stack.services).sort()).toEqual(SERVICES.map((service) => service.name).sort());
      for (const [name, baseUrl] of Object.entries(stack.services)) {
        const response = await fetch(`${baseUrl}/readyz`);
        expect(response.status, `${name} /readyz`).toBe(200);
        expect((await fetch(`${baseUrl}/healthz`)).status).toBe(200);
        expect(await (await fetch(`${baseUrl}/metrics`)).text()).toContain('process_cpu_seconds_total');
      }
      // Process warnings go to the services' JSON logs; kafkajs's harmless negative-timeout one is dropped.
      expect(output).not.toContain('TimeoutNegativeWarning');
    } finally {
      stopGroup(child.pid);
      await exited;
    }
    // npm may exit before the launcher has finished stopping what it started: wait for the launcher's own cleanup.
    await waitFor(() => !existsSync(join(stateDir, 'stack.json')), { timeoutMs: 30_000, what: 'stack.json to be removed' });
    for (const port of [...ports, consolePort]) {
      await waitFor(() => fetch(`http://127.0.0.1:${port}/healthz`).then(() => false, () => true), { timeoutMs: 30_000, what: `port ${port} to close` });
    }
  }, 240_000);
});
