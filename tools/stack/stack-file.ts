import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ServiceName } from './services.ts';

/** `.vigil/stack.json`: where the running `npm start` put everything, for the tools, the tests and the bench. */
export interface StackFile {
  kafkaBrokers: string;
  redisUrl: string;
  mongoUrl: string;
  services: Record<ServiceName, string>;
  /** The web console's URL, or null when VIGIL_CONSOLE=off. */
  console: string | null;
  consoleToken: string | null;
  /** Process id of each service and of the console. */
  pids: Record<string, number>;
}

export function writeStackFile(path: string, stack: StackFile): void {
  mkdirSync(dirname(path), { recursive: true });
  // Written whole, then renamed: whoever waits for the file never reads half of it. Readable by this user only: it
  // holds the console's token.
  writeFileSync(`${path}.tmp`, `${JSON.stringify(stack, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${path}.tmp`, path);
}
