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

/** A child's output: its last TAIL_LINES lines, and whoever wants each line as it comes. */
interface Output {
  readonly lines: string[];
  readonly listeners: Set<(line: string) => void>;
}

function captureOutput(child: ChildProcess, onLine: ((line: string) => void) | undefined): Output {
  const output: Output = { lines: [], listeners: new Set(onLine ? [onLine] : []) };
  const onData = (chunk: Buffer): void => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.length === 0) continue;
      output.lines.push(line);
      if (output.lines.length > TAIL_LINES) output.lines.shift();
      for (const listener of output.listeners) listener(line);
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  return output;
}

/** The exit code, or -1 when the process could not be spawned; either way it is no longer live. */
function exitOf(child: ChildProcess, output: Output): Promise<number | null> {
  return new Promise<number | null>((resolve) => {
    child.once('error', (error) => {
      output.lines.push(`spawn error: ${error.message}`);
      live.delete(child);
      resolve(-1);
    });
    child.once('exit', (code) => {
      live.delete(child);
      resolve(code);
    });
  });
}

/** A running process as `waitForLine` watches it. */
interface Watched {
  readonly name: string;
  readonly output: Output;
  readonly exited: Promise<number | null>;
}

function waitForLine(watched: Watched, pattern: RegExp, timeoutMs: number): Promise<string> {
  const { name, output, exited } = watched;
  const seen = output.lines.find((line) => pattern.test(line));
  if (seen !== undefined) return Promise.resolve(seen);
  return new Promise((resolve, reject) => {
    const done = (): void => {
      clearTimeout(timer);
      output.listeners.delete(listener);
    };
    const listener = (line: string): void => {
      if (!pattern.test(line)) return;
      done();
      resolve(line);
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`${name}: no line matching ${pattern} within ${timeoutMs} ms. Last output:\n${output.lines.join('\n')}`));
    }, timeoutMs);
    output.listeners.add(listener);
    void exited.then((code) => {
      if (!output.listeners.has(listener)) return;
      done();
      reject(new Error(`${name} exited (code ${code}) before printing ${pattern}. Last output:\n${output.lines.join('\n')}`));
    });
  });
}

/** SIGTERM, then SIGKILL if the process is still there after `graceMs`. */
async function stopChild(child: ChildProcess, exited: Promise<number | null>, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !live.has(child)) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export function startProcess(name: string, command: string, args: readonly string[], options: StartProcessOptions = {}): ManagedProcess {
  const { onLine, ...spawnOptions } = options;
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], ...spawnOptions });
  live.add(child);
  const output = captureOutput(child, onLine);
  const exited = exitOf(child, output);
  return {
    name,
    pid: child.pid ?? -1,
    exited,
    tail: () => output.lines.join('\n'),
    waitForLine: (pattern, timeoutMs) => waitForLine({ name, output, exited }, pattern, timeoutMs),
    stop: (graceMs = 10_000) => stopChild(child, exited, graceMs),
  };
}
