import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startCuttableProxy, type CuttableProxy } from './cuttable-proxy.ts';
import { freePort } from './free-port.ts';
import { startProcess, type ManagedProcess } from './managed-process.ts';
import { mavenClasspath } from './maven-cache.ts';
import type { ServerHandle } from './server-handle.ts';
import { createTestTls, type TestTls } from './test-tls.ts';

const run = promisify(execFile);
const NODE_ID = '1';

/** A broker that authenticates every client (SASL/SCRAM over TLS) and authorizes it by ACLs (CONTRACT §8 v2). */
interface SecureSetup {
  tls: TestTls;
  adminPassword: string;
}

function secureProperties(brokerPort: number, controllerPort: number, secure: SecureSetup): string[] {
  return [
    `listeners=SASL_SSL://127.0.0.1:${brokerPort},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=SASL_SSL://127.0.0.1:${brokerPort}`,
    'listener.security.protocol.map=SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name=SASL_SSL',
    'sasl.enabled.mechanisms=SCRAM-SHA-512',
    'sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512',
    `listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="${secure.adminPassword}";`,
    'ssl.keystore.type=PEM',
    `ssl.keystore.location=${secure.tls.keyAndCertFile}`,
    'ssl.truststore.type=PEM',
    `ssl.truststore.location=${secure.tls.caFile}`,
    'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    // The broker's own requests: as admin over SASL_SSL, and as ANONYMOUS over the controller's loopback listener.
    'super.users=User:admin;User:ANONYMOUS',
    'allow.everyone.if.no.acl.found=false',
  ];
}

function serverProperties(brokerPort: number, controllerPort: number, logDir: string, proxied: { port: number; advertisedPort: number } | null, secure: SecureSetup | null): string {
  const extra = proxied ? `,PROXIED://127.0.0.1:${proxied.port}` : '';
  const listeners = secure ? secureProperties(brokerPort, controllerPort, secure) : [
    `listeners=PLAINTEXT://127.0.0.1:${brokerPort},CONTROLLER://127.0.0.1:${controllerPort}${extra}`,
    // A client that bootstraps through the proxied listener is told the proxy's address for every connection.
    `advertised.listeners=PLAINTEXT://127.0.0.1:${brokerPort}${proxied ? `,PROXIED://127.0.0.1:${proxied.advertisedPort}` : ''}`,
    'inter.broker.listener.name=PLAINTEXT',
    `listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT${proxied ? ',PROXIED:PLAINTEXT' : ''}`,
  ];
  return [
    'process.roles=broker,controller',
    `node.id=${NODE_ID}`,
    // The voter is named by node id; its address may change between starts of a kept log (checked by restarting).
    `controller.quorum.voters=${NODE_ID}@127.0.0.1:${controllerPort}`,
    ...listeners,
    'controller.listener.names=CONTROLLER',
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
  /**
   * SASL_SSL only, with ACLs (StandardAuthorizer): a test CA and certificate, SCRAM-SHA-512 users created when the
   * storage is formatted (KIP-900) — `admin` (a super user, password in `secure.adminPassword`) and these — and no
   * client is allowed anything until ACLs say so.
   */
  secure?: { users: Record<string, string> };
}

export interface LocalKafka extends ServerHandle {
  /** Stops the broker, waits `downMs` (Kafka unreachable), starts it again on the same ports and log. */
  restart(downMs?: number): Promise<void>;
  /** The brokers list through the proxied listener, when asked for. */
  readonly proxiedUrl: string | null;
  /** With `secure`: the CA clients trust, and the super user's password. */
  readonly secure: { caFile: string; adminPassword: string } | null;
  /** Cuts every connection through the proxy and refuses new ones until `reconnect`. */
  cutProxy(): void;
  reconnectProxy(): void;
}

/** A broker's ports, proxy and credentials, and the config written for them (in `dir`, removed on stop). */
interface PreparedBroker {
  classpath: string;
  brokerPort: number;
  proxy: CuttableProxy | null;
  secure: SecureSetup | null;
  dir: string;
  propsFile: string;
}

/**
 * A cluster id as Kafka makes one (16 random bytes, base64url), never starting with '-': StorageTool would read such an
 * id as an option and refuse to format (about one run in 64). Kafka's own Uuid.randomUuid() draws again in that case.
 */
function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** A new log: StorageTool formats it under a fresh cluster id and creates the SCRAM users with it (KIP-900). */
async function formatStorage(broker: PreparedBroker, logDir: string, users: Record<string, string>): Promise<void> {
  mkdirSync(logDir, { recursive: true });
  const clusterId = newClusterId();
  const scram = Object.entries(users).flatMap(([name, password]) => ['--add-scram', `SCRAM-SHA-512=[name=${name},password=${password}]`]);
  await run('java', ['-cp', broker.classpath, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', broker.propsFile, ...scram]);
}

async function prepareBroker(options: LocalKafkaOptions): Promise<PreparedBroker> {
  const classpath = `${await mavenClasspath('kafka')}/*`;
  const [brokerPort, controllerPort] = [await freePort(), await freePort()];
  const proxy = options.proxied ? await startCuttableProxy(await freePort()) : null;
  const proxied = proxy ? { port: proxy.targetPort, advertisedPort: proxy.port } : null;
  const secure = options.secure ? { tls: await createTestTls(['localhost', '127.0.0.1']), adminPassword: randomBytes(18).toString('base64url') } : null;
  // The config names this start's ports, so it is written afresh each time, next to (never inside) a kept log.
  const dir = mkdtempSync(join(tmpdir(), 'vigil-kafka-'));
  const logDir = options.dataDir ?? join(dir, 'data');
  const propsFile = join(dir, 'server.properties');
  writeFileSync(propsFile, serverProperties(brokerPort, controllerPort, logDir, proxied, secure));
  const broker = { classpath, brokerPort, proxy, secure, dir, propsFile };
  if (!formattedBefore(logDir)) await formatStorage(broker, logDir, secure ? { admin: secure.adminPassword, ...options.secure?.users } : {});
  return broker;
}

async function launchBroker(broker: PreparedBroker): Promise<ManagedProcess> {
  const proc = startProcess('kafka', 'java', [
    '-Xmx512m', '-Xms128m', '-XX:+UseSerialGC', '-Djava.awt.headless=true', '-cp', broker.classpath, 'kafka.Kafka', broker.propsFile,
  ]);
  try {
    await proc.waitForLine(/Kafka Server started/, 120_000);
  } catch (error) {
    await proc.stop();
    throw new Error(`Kafka broker did not start: ${(error as Error).message}`);
  }
  return proc;
}

/** Apache Kafka in KRaft mode (one combined broker+controller) from Maven Central jars, on free ports. */
export async function startLocalKafka(options: LocalKafkaOptions = {}): Promise<LocalKafka> {
  const broker = await prepareBroker(options);
  const { proxy, secure } = broker;
  let proc: ManagedProcess;
  try {
    proc = await launchBroker(broker);
  } catch (error) {
    rmSync(broker.dir, { recursive: true, force: true });
    throw error;
  }
  return {
    origin: 'process',
    url: `127.0.0.1:${broker.brokerPort}`,
    proxiedUrl: proxy ? `127.0.0.1:${proxy.port}` : null,
    secure: secure ? { caFile: secure.tls.caFile, adminPassword: secure.adminPassword } : null,
    cutProxy: () => proxy?.cut(),
    reconnectProxy: () => proxy?.reconnect(),
    async restart(downMs = 0) {
      await proc.stop(20_000);
      if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
      proc = await launchBroker(broker);
    },
    async stop() {
      await proc.stop(20_000);
      await proxy?.close();
      rmSync(broker.dir, { recursive: true, force: true });
    },
  };
}
