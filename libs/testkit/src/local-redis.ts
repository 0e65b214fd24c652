import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.ts';
import { startProcess } from './managed-process.ts';
import type { ServerHandle } from './server-handle.ts';

export interface LocalRedisOptions {
  /** Start again where a stopped server was (tests of a Redis outage). */
  port?: number;
  /**
   * Keep an append-only file here, so that a stop and a start lose nothing — Redis as production runs it (challenge
   * state and projections live in Redis). Without it, nothing is kept on disk.
   */
  dataDir?: string;
}

/** A private `redis-server` (Debian package) on a free port. */
export async function startLocalRedis(options: LocalRedisOptions = {}): Promise<ServerHandle & { port: number }> {
  const port = options.port ?? (await freePort());
  const dir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'vigil-redis-'));
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const persistence = options.dataDir ? ['--appendonly', 'yes', '--appendfsync', 'everysec'] : ['--appendonly', 'no'];
  const proc = startProcess('redis-server', 'redis-server', [
    '--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence, '--dir', dir,
  ]);
  try {
    await proc.waitForLine(/Ready to accept connections/, 20_000);
  } catch (error) {
    await proc.stop();
    if (!options.dataDir) rmSync(dir, { recursive: true, force: true });
    const missing = /ENOENT/.test(proc.tail()) ? ' (is the Debian package redis-server installed?)' : '';
    throw new Error(`redis-server did not start${missing}: ${(error as Error).message}`);
  }
  return {
    origin: 'process',
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      await proc.stop(5_000);
      if (!options.dataDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
