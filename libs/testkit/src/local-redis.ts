import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.ts';
import { startProcess } from './managed-process.ts';
import type { ServerHandle } from './server-handle.ts';

/**
 * A private `redis-server` (Debian package) on a free port, keeping nothing on disk. Pass `port` to start again where
 * a stopped server was (tests of a Redis outage); with `persistDir` it keeps an append-only file there, so a stop and
 * a start lose nothing — Redis as production runs it (challenge state and projections live in Redis).
 */
export async function startLocalRedis(options: { port?: number; persistDir?: string } = {}): Promise<ServerHandle & { port: number }> {
  const port = options.port ?? (await freePort());
  const dir = options.persistDir ?? mkdtempSync(join(tmpdir(), 'vigil-redis-'));
  const persistence = options.persistDir ? ['--appendonly', 'yes', '--appendfsync', 'everysec'] : ['--appendonly', 'no'];
  const proc = startProcess('redis-server', 'redis-server', [
    '--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence, '--dir', dir,
  ]);
  try {
    await proc.waitForLine(/Ready to accept connections/, 20_000);
  } catch (error) {
    await proc.stop();
    if (!options.persistDir) rmSync(dir, { recursive: true, force: true });
    const missing = /ENOENT/.test(proc.tail()) ? ' (is the Debian package redis-server installed?)' : '';
    throw new Error(`redis-server did not start${missing}: ${(error as Error).message}`);
  }
  return {
    origin: 'process',
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      await proc.stop(5_000);
      if (!options.persistDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
