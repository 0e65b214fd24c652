import { join } from 'node:path';
import { freePort } from './free-port.ts';
import { startProcess } from './managed-process.ts';
import { javaSourceFolder, mavenClasspath } from './maven-cache.ts';
import type { ServerHandle } from './server-handle.ts';

/**
 * mongo-java-server (a MongoDB wire-protocol server with a memory backend) from Maven Central. No MongoDB server
 * package reaches this kind of machine; docs/mongodb-wire-server.md lists how it differs from MongoDB.
 */
export async function startLocalMongo(): Promise<ServerHandle> {
  const classpath = await mavenClasspath('mongo');
  const port = await freePort();
  const proc = startProcess('mongo-java-server', 'java', [
    '-Xmx512m', '-XX:+UseSerialGC', '-cp', `${classpath}/*`, join(javaSourceFolder, 'MongoMain.java'), String(port),
  ]);
  try {
    await proc.waitForLine(/^ready \d+/, 60_000);
  } catch (error) {
    await proc.stop();
    throw new Error(`MongoDB wire server did not start: ${(error as Error).message}`);
  }
  return {
    origin: 'process',
    url: `mongodb://127.0.0.1:${port}/vigil?directConnection=true`,
    stop: () => proc.stop(5_000),
  };
}
