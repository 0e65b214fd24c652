import { request } from 'node:http';
import { existsSync } from 'node:fs';
import type { ServerHandle } from './server-handle.ts';
import type * as Testcontainers from 'testcontainers';
import { freePort } from './free-port.ts';

/** True when a Docker engine answers on its socket (DOCKER_HOST or the default one). */
export async function dockerAvailable(): Promise<boolean> {
  const host = process.env['DOCKER_HOST'];
  const socketPath = host?.startsWith('unix://') ? host.slice('unix://'.length) : host ? undefined : '/var/run/docker.sock';
  if (host && !socketPath) return true; // tcp:// engines: let testcontainers find out.
  if (!socketPath || !existsSync(socketPath)) return false;
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/_ping', method: 'GET', timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}

// testcontainers is loaded only when a Docker engine is there: it is heavy and useless without one.
async function containers(): Promise<typeof Testcontainers> {
  return import('testcontainers');
}

export async function startRedisContainer(): Promise<ServerHandle> {
  const { GenericContainer, Wait } = await containers();
  const container = await new GenericContainer('redis:7-alpine')
    .withExposedPorts(6379)
    .withWaitStrategy(Wait.forLogMessage(/Ready to accept connections/))
    .start();
  return {
    origin: 'container',
    url: `redis://${container.getHost()}:${container.getMappedPort(6379)}`,
    stop: async () => void (await container.stop()),
  };
}

export async function startMongoContainer(): Promise<ServerHandle> {
  const { GenericContainer, Wait } = await containers();
  const container = await new GenericContainer('mongo:7')
    .withExposedPorts(27017)
    .withWaitStrategy(Wait.forLogMessage(/Waiting for connections/))
    .start();
  return {
    origin: 'container',
    url: `mongodb://${container.getHost()}:${container.getMappedPort(27017)}/vigil?directConnection=true`,
    stop: async () => void (await container.stop()),
  };
}

/**
 * apache/kafka in KRaft mode. The broker must advertise an address the host can reach, which is only known after the
 * port mapping; binding the same free port on both sides makes the address known in advance.
 */
export async function startKafkaContainer(): Promise<ServerHandle> {
  const { GenericContainer, Wait } = await containers();
  const port = await freePort();
  const container = await new GenericContainer('apache/kafka:3.9.1')
    .withExposedPorts({ container: port, host: port })
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: `PLAINTEXT://0.0.0.0:${port},CONTROLLER://0.0.0.0:9093`,
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://127.0.0.1:${port}`,
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
    })
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .start();
  return { origin: 'container', url: `127.0.0.1:${port}`, stop: async () => void (await container.stop()) };
}
