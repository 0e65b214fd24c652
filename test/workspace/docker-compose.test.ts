import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

// Docker cannot run on the machines that build Vigil, so the compose file is checked by reading it.
const root = resolve(import.meta.dirname, '../..');
const compose = parse(readFileSync(resolve(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, { image?: string; build?: { dockerfile: string }; command?: string[]; environment?: Record<string, string>; ports?: string[]; depends_on?: Record<string, unknown>; healthcheck?: { test: string[] } }>;
};

// CONTRACT §1.
const CONTRACT_SERVICES = [
  { name: 'enrollment', portEnv: 'ENROLLMENT_PORT', port: 8081 },
  { name: 'challenge', portEnv: 'CHALLENGE_PORT', port: 8082 },
  { name: 'verification', portEnv: 'VERIFICATION_PORT', port: 8083 },
  { name: 'notification', portEnv: 'NOTIFICATION_PORT', port: 8084 },
  { name: 'anomaly-detection', portEnv: 'ANOMALY_PORT', port: 8085 },
];

describe('docker-compose.yml', () => {
  it('runs Kafka in KRaft mode, Redis and MongoDB 7', () => {
    expect(compose.services['kafka']?.image).toMatch(/^apache\/kafka:/);
    expect(compose.services['kafka']?.environment?.['KAFKA_PROCESS_ROLES']).toBe('broker,controller');
    expect(compose.services['redis']?.image).toMatch(/^redis:/);
    expect(compose.services['mongo']?.image).toBe('mongo:7');
  });

  it.each(CONTRACT_SERVICES)('runs $name on its contract port with its variables', ({ name, portEnv, port }) => {
    const service = compose.services[name];
    expect(service, `${name} is missing`).toBeDefined();
    expect(service?.build?.dockerfile).toBe('deploy/Dockerfile');
    expect(service?.command).toEqual(['node', `services/${name}/dist/main.js`]);
    // Published on loopback only (a TLS proxy in front reaches it from elsewhere).
    expect(service?.ports).toEqual([`127.0.0.1:${port}:${port}`]);
    expect(service?.environment?.[portEnv]).toBe(String(port));
    for (const variable of ['KAFKA_BROKERS', 'REDIS_URL', 'MONGO_URL', 'VIGIL_API_KEYS', 'VIGIL_SERVER_SIGNING_KEY', 'VIGIL_SECRET_KEYS']) {
      expect(service?.environment?.[variable], `${name} lacks ${variable}`).toBeTruthy();
    }
    expect(service?.environment?.['KAFKA_BROKERS']).toBe('kafka:9092');
    expect(Object.keys(service?.depends_on ?? {}).sort()).toEqual(['kafka', 'mongo', 'redis']);
    expect(service?.healthcheck?.test.join(' ')).toContain('/readyz');
    expect(service?.healthcheck?.test.at(-1)).toBe(String(port));
  });

  it('takes every secret from the environment, with no default, and publishes the servers on loopback only', () => {
    const text = readFileSync(resolve(root, 'docker-compose.yml'), 'utf8');
    for (const variable of ['VIGIL_API_KEYS', 'VIGIL_SERVER_SIGNING_KEY', 'VIGIL_SECRET_KEYS', 'REDIS_PASSWORD', 'MONGO_PASSWORD']) {
      expect(text, variable).toMatch(new RegExp(`\\$\\{${variable}:\\?`));
      expect(text, variable).not.toMatch(new RegExp(`\\$\\{${variable}:-`));
    }
    expect(text).not.toContain('dev-admin-key');
    expect(text).not.toContain('AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8');
    for (const server of ['kafka', 'redis', 'mongo']) {
      for (const published of compose.services[server]?.ports ?? []) expect(published, server).toMatch(/^127\.0\.0\.1:/);
    }
  });

  it('builds the services from a multi-stage Node 24 image that runs as a non-root user', () => {
    const dockerfile = readFileSync(resolve(root, 'deploy/Dockerfile'), 'utf8');
    const stages = dockerfile.match(/^FROM node:24[^\s]* AS \w+/gm) ?? [];
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toContain('npm ci --omit=dev');
    // Services run from their bundles, built in the image from the same sources the tests bundle.
    expect(dockerfile).toContain('node tools/build/bundle-services.ts');
    expect(dockerfile).toMatch(/^CMD \["node", "services\/[a-z-]+\/dist\/main\.js"\]$/m);
  });

  it('has a service for every service folder and no other', () => {
    const expected = CONTRACT_SERVICES.map((service) => service.name).sort();
    const vigilServices = Object.entries(compose.services).filter(([, service]) => service.build).map(([name]) => name).sort();
    expect(vigilServices).toEqual(expected);
  });
});
