import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.ts';
import { startProcess } from './managed-process.ts';
import type { ServerHandle } from './server-handle.ts';

/** A private `redis-server` (Debian package) on a free port, keeping nothing on disk. */
/** Pass `port` to start again where a stopped server was (tests of a Redis outage). */
export async function startLocalRedis(options: { port?: number } = {}): Promise<ServerHandle & { port: number }> {
  const port = options.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'vigil-redis-'));
  const proc = startProcess('redis-server', 'redis-server', [
    '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir,
  ]);
  try {
    await proc.waitForLine(/Ready to accept connections/, 20_000);
  } catch (error) {
    await proc.stop();
    rmSync(dir, { recursive: true, force: true });
    const missing = /ENOENT/.test(proc.tail()) ? ' (is the Debian package redis-server installed?)' : '';
    throw new Error(`redis-server did not start${missing}: ${(error as Error).message}`);
  }
  return {
    origin: 'process',
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      await proc.stop(5_000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
