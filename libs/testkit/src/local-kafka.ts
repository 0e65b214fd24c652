import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { freePort } from './free-port.ts';
import { startProcess } from './managed-process.ts';
import { mavenClasspath } from './maven-cache.ts';
import type { ServerHandle } from './server-handle.ts';

const run = promisify(execFile);
const NODE_ID = '1';

function serverProperties(brokerPort: number, controllerPort: number, logDir: string): string {
  return [
    'process.roles=broker,controller',
    `node.id=${NODE_ID}`,
    // The voter is named by node id; its address may change between starts of a kept log (checked by restarting).
    `controller.quorum.voters=${NODE_ID}@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${brokerPort},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${brokerPort}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
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
}

/** Apache Kafka in KRaft mode (one combined broker+controller) from Maven Central jars, on free ports. */
export async function startLocalKafka(options: LocalKafkaOptions = {}): Promise<ServerHandle & { restart(): Promise<void> }> {
  const classpath = `${await mavenClasspath('kafka')}/*`;
  const [brokerPort, controllerPort] = [await freePort(), await freePort()];
  // The config names this start's ports, so it is written afresh each time, next to (never inside) a kept log.
  const dir = mkdtempSync(join(tmpdir(), 'vigil-kafka-'));
  const logDir = options.dataDir ?? join(dir, 'data');
  const propsFile = join(dir, 'server.properties');
  writeFileSync(propsFile, serverProperties(brokerPort, controllerPort, logDir));
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
    async restart() {
      await proc.stop(20_000);
      proc = await launch();
    },
    async stop() {
      await proc.stop(20_000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
