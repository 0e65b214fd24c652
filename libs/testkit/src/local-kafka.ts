import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { connect, createServer, type Socket } from 'node:net';
import { promisify } from 'node:util';
import { freePort } from './free-port.ts';
import { startProcess } from './managed-process.ts';
import { mavenClasspath } from './maven-cache.ts';
import type { ServerHandle } from './server-handle.ts';

const run = promisify(execFile);
const NODE_ID = '1';

function serverProperties(brokerPort: number, controllerPort: number, logDir: string, proxied: { port: number; advertisedPort: number } | null): string {
  const extra = proxied ? `,PROXIED://127.0.0.1:${proxied.port}` : '';
  return [
    'process.roles=broker,controller',
    `node.id=${NODE_ID}`,
    // The voter is named by node id; its address may change between starts of a kept log (checked by restarting).
    `controller.quorum.voters=${NODE_ID}@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${brokerPort},CONTROLLER://127.0.0.1:${controllerPort}${extra}`,
    // A client that bootstraps through the proxied listener is told the proxy's address for every connection.
    `advertised.listeners=PLAINTEXT://127.0.0.1:${brokerPort}${proxied ? `,PROXIED://127.0.0.1:${proxied.advertisedPort}` : ''}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    `listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT${proxied ? ',PROXIED:PLAINTEXT' : ''}`,
    `log.dirs=${logDir}`,
    // One node: every internal topic has one replica.
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=6',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    // Topics are created on purpose by the bootstrap, never by a typo in a producer.
    'auto.create.topics.enable=false',
    'num.partitions=3',
    'log.retention.hours=24',
    'log.cleaner.backoff.ms=1000',
  ].join('\n') + '\n';
}

/**
 * A log dir that StorageTool formatted before is started as it is: formatting again would refuse (or, forced, lose
 * the log). It must belong to node 1, the only node this broker ever is.
 */
function formattedBefore(logDir: string): boolean {
  const metaFile = join(logDir, 'meta.properties');
  if (!existsSync(metaFile)) return false;
  const nodeId = /^node\.id=(.*)$/m.exec(readFileSync(metaFile, 'utf8'))?.[1]?.trim();
  if (nodeId !== NODE_ID) throw new Error(`${metaFile} belongs to Kafka node ${nodeId ?? '(none)'}, not ${NODE_ID}: remove ${logDir} (npm start -- --fresh)`);
  return true;
}

export interface LocalKafkaOptions {
  /** Keep the log here across stops and starts (formatted on first use); without it, a temp folder removed on stop. */
  dataDir?: string;
  /**
   * A second listener reached only through a TCP proxy of the test's own (fault tests: cut one service off from
   * Kafka while the others keep it). Clients given `proxiedUrl` as their brokers connect through the proxy only.
   */
  proxied?: boolean;
}

export interface LocalKafka extends ServerHandle {
  /** Stops the broker, waits `downMs` (Kafka unreachable), starts it again on the same ports and log. */
  restart(downMs?: number): Promise<void>;
  /** The brokers list through the proxied listener, when asked for. */
  readonly proxiedUrl: string | null;
  /** Cuts every connection through the proxy and refuses new ones until `reconnect`. */
  cutProxy(): void;
  reconnectProxy(): void;
}

/** Apache Kafka in KRaft mode (one combined broker+controller) from Maven Central jars, on free ports. */
export async function startLocalKafka(options: LocalKafkaOptions = {}): Promise<LocalKafka> {
  const classpath = `${await mavenClasspath('kafka')}/*`;
  const [brokerPort, controllerPort] = [await freePort(), await freePort()];
  const proxy = options.proxied ? await startCuttableProxy(await freePort()) : null;
  const proxied = proxy ? { port: proxy.targetPort, advertisedPort: proxy.port } : null;
  // The config names this start's ports, so it is written afresh each time, next to (never inside) a kept log.
  const dir = mkdtempSync(join(tmpdir(), 'vigil-kafka-'));
  const logDir = options.dataDir ?? join(dir, 'data');
  const propsFile = join(dir, 'server.properties');
  writeFileSync(propsFile, serverProperties(brokerPort, controllerPort, logDir, proxied));
  if (!formattedBefore(logDir)) {
    mkdirSync(logDir, { recursive: true });
    const clusterId = randomBytes(16).toString('base64url');
    await run('java', ['-cp', classpath, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', propsFile]);
  }

  const launch = async () => {
    const proc = startProcess('kafka', 'java', [
      '-Xmx512m', '-Xms128m', '-XX:+UseSerialGC', '-Djava.awt.headless=true', '-cp', classpath, 'kafka.Kafka', propsFile,
    ]);
    try {
      await proc.waitForLine(/Kafka Server started/, 120_000);
    } catch (error) {
      await proc.stop();
      throw new Error(`Kafka broker did not start: ${(error as Error).message}`);
    }
    return proc;
  };
  let proc: Awaited<ReturnType<typeof launch>>;
  try {
    proc = await launch();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    origin: 'process',
    url: `127.0.0.1:${brokerPort}`,
    proxiedUrl: proxy ? `127.0.0.1:${proxy.port}` : null,
    cutProxy: () => proxy?.cut(),
    reconnectProxy: () => proxy?.reconnect(),
    async restart(downMs = 0) {
      await proc.stop(20_000);
      if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
      proc = await launch();
    },
    async stop() {
      await proc.stop(20_000);
      await proxy?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A TCP proxy from `port` to a free target port (the broker's proxied listener) that can drop everything at once. */
async function startCuttableProxy(port: number): Promise<{ port: number; targetPort: number; cut(): void; reconnect(): void; close(): Promise<void> }> {
  const targetPort = await freePort();
  const sockets = new Set<Socket>();
  let open = true;
  const server = createServer((client) => {
    if (!open) {
      client.destroy();
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port,
    targetPort,
    cut() {
      open = false;
      for (const socket of sockets) socket.destroy();
    },
    reconnect() {
      open = true;
    },
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}
