import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VigilDevice, type SignedPayload } from '@vigil/device-sdk';
import { freePort, waitFor } from '@vigil/testkit';
import { SERVICES, type ServiceName } from './services.ts';

const root = resolve(import.meta.dirname, '../..');
const scratch = mkdtempSync(join(tmpdir(), 'vigil-stack-'));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface StackFile { kafkaBrokers: string; redisUrl: string; mongoUrl: string; services: Record<ServiceName, string>; console: string | null }

interface NpmStart {
  stack: StackFile;
  output(): string;
  /** Signals the process group (as a terminal's Ctrl-C does), then waits until the launcher has stopped everything. */
  stop(signal: 'SIGINT' | 'SIGTERM'): Promise<void>;
}

/** Environment of an `npm start` on the given ports, with its state in `stateDir` and its own servers. */
async function stackEnvironment(stateDir: string, extra: NodeJS.ProcessEnv = {}): Promise<{ env: NodeJS.ProcessEnv; ports: number[] }> {
  const ports = await Promise.all(SERVICES.map(() => freePort()));
  const env: NodeJS.ProcessEnv = { ...process.env, VIGIL_STATE_DIR: stateDir, LOG_LEVEL: 'warn', ...extra };
  // The launcher must provision its own servers here, as on a fresh machine.
  for (const variable of ['KAFKA_BROKERS', 'REDIS_URL', 'MONGO_URL']) delete env[variable];
  SERVICES.forEach((service, index) => void (env[service.portEnv] = String(ports[index])));
  return { env, ports };
}

/** Signals the process group; one that is already gone is not an error (it would hide why npm start exited). */
function signalGroup(pid: number | undefined, signal: 'SIGINT' | 'SIGTERM'): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** `npm start` in its own process group, resolved once it has written stack.json. */
async function npmStart(stateDir: string, env: NodeJS.ProcessEnv, ports: number[]): Promise<NpmStart> {
  const child = spawn('npm', ['start'], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', resolveExit));
  const stackFile = join(stateDir, 'stack.json');
  const stop = async (signal: 'SIGINT' | 'SIGTERM'): Promise<void> => {
    signalGroup(child.pid, signal);
    await exited;
    // npm may exit before the launcher has finished stopping what it started: wait for the launcher's own cleanup.
    await waitFor(() => !existsSync(stackFile), { timeoutMs: 30_000, what: 'stack.json to be removed' });
    for (const port of ports) {
      await waitFor(() => fetch(`http://127.0.0.1:${port}/healthz`).then(() => false, () => true), { timeoutMs: 30_000, what: `port ${port} to close` });
    }
  };
  try {
    await waitFor(() => existsSync(stackFile) || child.exitCode !== null, { timeoutMs: 180_000, intervalMs: 250, what: 'stack.json' })
      .catch((error: Error) => { throw new Error(`${error.message}\n${output.slice(-3000)}`); });
    if (!existsSync(stackFile)) throw new Error(`npm start exited before the stack was ready:\n${output.slice(-3000)}`);
  } catch (error) {
    signalGroup(child.pid, 'SIGTERM');
    await exited;
    throw error;
  }
  return { stack: JSON.parse(readFileSync(stackFile, 'utf8')) as StackFile, output: () => output, stop };
}

async function call(baseUrl: string, method: string, path: string, apiKey: string, body?: unknown) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as Record<string, unknown> };
}

const pendingOn = (device: VigilDevice, stack: StackFile, waitSeconds = 0) =>
  device.request<{ challenges: SignedPayload[] }>(stack.services.verification, 'GET', `/v1/device/challenges/pending?waitSeconds=${waitSeconds}`);

describe('npm start', () => {
  it('provisions the servers, starts the five services and the console, writes stack.json, and stops everything on SIGTERM', async () => {
    const stateDir = join(scratch, 'first');
    const consolePort = await freePort();
    const { env, ports } = await stackEnvironment(stateDir, { CONSOLE_PORT: String(consolePort) });
    const started = await npmStart(stateDir, env, [...ports, consolePort]);
    try {
      const { stack } = started;
      expect(stack.console).toBe(`http://127.0.0.1:${consolePort}`);
      expect(await (await fetch(stack.console as string)).text()).toContain('<title>Vigil console</title>');
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
      expect(started.output()).not.toContain('TimeoutNegativeWarning');
    } finally {
      await started.stop('SIGTERM');
    }
  }, 240_000);

  it('keeps an enrolled device across a Ctrl-C and a start on the same data folder', async () => {
    const stateDir = join(scratch, 'restart');
    const dataDir = join(scratch, 'restart-data');
    const { env, ports } = await stackEnvironment(stateDir, { VIGIL_DATA_DIR: dataDir, VIGIL_CONSOLE: 'off' });

    const first = await npmStart(stateDir, env, ports);
    let phone: VigilDevice;
    try {
      const enrollment = await call(first.stack.services.enrollment, 'POST', '/v1/users/rita/push-enrollments', 'dev-admin-key', {});
      expect(enrollment.status).toBe(201);
      phone = await VigilDevice.activate(String(enrollment.body['activationUri']), { platform: 'ios', pushToken: null, deviceName: 'Rita’s phone' });
      // Kafka carries the new device to the verification service within moments.
      await waitFor(async () => (await pendingOn(phone, first.stack)).status === 200, { timeoutMs: 20_000, what: 'the device to reach verification' });
    } finally {
      await first.stop('SIGINT');
    }
    expect(existsSync(join(dataDir, 'kafka', 'meta.properties'))).toBe(true);
    expect(existsSync(join(dataDir, 'mongo', 'vigil.mv.db'))).toBe(true);
    expect(existsSync(join(dataDir, 'redis', 'appendonlydir'))).toBe(true);

    const second = await npmStart(stateDir, env, ports);
    try {
      const { stack } = second;
      // No waiting: once stack.json is there, what the device needs must already be there.
      expect((await pendingOn(phone, stack)).status).toBe(200);
      const factors = await call(stack.services.enrollment, 'GET', '/v1/users/rita/factors', 'dev-admin-key');
      expect(factors.status).toBe(200);
      expect(factors.body['push']).toMatchObject({ deviceId: phone.deviceId });

      // And it still works end to end: a push created now reaches it and its approval decides the challenge.
      const push = await call(stack.services.challenge, 'POST', '/v1/challenges', 'dev-auth-key', { userId: 'rita', context: { ip: '198.51.100.20' } });
      expect(push.status).toBe(201);
      const pending = await pendingOn(phone, stack, 10);
      const payload = await phone.verifyServerPayload<{ challengeId: string }>(pending.body.challenges[0] as SignedPayload);
      expect(payload?.challengeId).toBe(push.body['challengeId']);
      const answer = await phone.request(stack.services.verification, 'POST', `/v1/device/challenges/${String(push.body['challengeId'])}/response`, {
        decision: 'approve', numberMatch: String(push.body['numberMatch']),
      });
      expect(answer).toEqual({ status: 200, body: { status: 'approved' } });
    } finally {
      await second.stop('SIGINT');
    }
  }, 420_000);
});
