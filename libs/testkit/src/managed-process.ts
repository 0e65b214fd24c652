import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

const TAIL_LINES = 60;
const live = new Set<ChildProcess>();

// Last resort: a test runner or launcher that exits without teardown must not leave brokers behind.
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  /** The last lines the process printed, for error messages. */
  tail(): string;
  /** Resolves with the first output line that matches, rejects if the process exits first or time runs out. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string>;
  readonly exited: Promise<number | null>;
  stop(graceMs?: number): Promise<void>;
}

export interface StartProcessOptions extends SpawnOptions {
  /** Sees every output line as it comes (e.g. to forward it with a prefix). */
  onLine?: (line: string) => void;
}

export function startProcess(name: string, command: string, args: readonly string[], options: StartProcessOptions = {}): ManagedProcess {
  const { onLine, ...spawnOptions } = options;
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], ...spawnOptions });
  live.add(child);
  const lines: string[] = [];
  const listeners = new Set<(line: string) => void>(onLine ? [onLine] : []);
  const onData = (chunk: Buffer): void => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.length === 0) continue;
      lines.push(line);
      if (lines.length > TAIL_LINES) lines.shift();
      for (const listener of listeners) listener(line);
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => {
    child.once('error', (error) => {
      lines.push(`spawn error: ${error.message}`);
      live.delete(child);
      resolve(-1);
    });
    child.once('exit', (code) => {
      live.delete(child);
      resolve(code);
    });
  });

  return {
    name,
    pid: child.pid ?? -1,
    exited,
    tail: () => lines.join('\n'),
    waitForLine(pattern, timeoutMs) {
      const seen = lines.find((line) => pattern.test(line));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const done = (): void => {
          clearTimeout(timer);
          listeners.delete(listener);
        };
        const listener = (line: string): void => {
          if (!pattern.test(line)) return;
          done();
          resolve(line);
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`${name}: no line matching ${pattern} within ${timeoutMs} ms. Last output:\n${lines.join('\n')}`));
        }, timeoutMs);
        listeners.add(listener);
        void exited.then((code) => {
          if (!listeners.has(listener)) return;
          done();
          reject(new Error(`${name} exited (code ${code}) before printing ${pattern}. Last output:\n${lines.join('\n')}`));
        });
      });
    },
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null || !live.has(child)) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
