import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './free-port.ts';
import { startProcess } from './managed-process.ts';
import { javaSourceFolder, mavenClasspath } from './maven-cache.ts';
import type { ServerHandle } from './server-handle.ts';

export interface LocalMongoOptions {
  /** Keep the data in an H2 MVStore file here across stops and starts; without it, the data lives in memory. */
  dataDir?: string;
  /** Start again where a stopped server was (fault tests: MongoDB down for a while, then back with its data). */
  port?: number;
}

/**
 * mongo-java-server (a MongoDB wire-protocol server) from Maven Central. No MongoDB server package reaches this kind
 * of machine; docs/mongodb-wire-server.md lists how it and its two backends differ from MongoDB.
 */
export async function startLocalMongo(options: LocalMongoOptions = {}): Promise<ServerHandle & { port: number }> {
  const classpath = await mavenClasspath('mongo');
  const port = options.port ?? (await freePort());
  const storeFile = options.dataDir ? [join(options.dataDir, 'vigil.mv.db')] : [];
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const proc = startProcess('mongo-java-server', 'java', [
    '-Xmx512m', '-XX:+UseSerialGC', '-cp', `${classpath}/*`, join(javaSourceFolder, 'MongoMain.java'), String(port), ...storeFile,
  ]);
  try {
    await proc.waitForLine(/^ready \d+/, 60_000);
  } catch (error) {
    await proc.stop();
    throw new Error(`MongoDB wire server did not start: ${(error as Error).message}`);
  }
  return {
    origin: 'process',
    port,
    url: `mongodb://127.0.0.1:${port}/vigil?directConnection=true`,
    stop: () => proc.stop(5_000),
  };
}
