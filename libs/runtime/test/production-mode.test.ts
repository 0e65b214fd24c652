import { describe, expect, it } from 'vitest';
import { ConfigError } from '@vigil/config';
import { startRuntime } from '../src/index.ts';

const SAMPLE_SEED = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8';
// Nothing listens here: the refusal comes before any connection.
const nowhere = { REDIS_URL: 'redis://127.0.0.1:1', KAFKA_BROKERS: '127.0.0.1:1', LOG_LEVEL: 'silent' };

describe('a service in production mode (CONTRACT §2)', () => {
  it('refuses to start with the published keys, naming the variables and not the values', async () => {
    const started = startRuntime({
      service: 'enrollment', useMongo: false,
      env: { ...nowhere, NODE_ENV: 'production', VIGIL_API_KEYS: 'acme:admin:dev-admin-key', VIGIL_SERVER_SIGNING_KEY: SAMPLE_SEED, VIGIL_SECRET_KEYS: `dev1:${SAMPLE_SEED}` },
    });
    const error = await started.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const variable of ['VIGIL_API_KEYS', 'VIGIL_SERVER_SIGNING_KEY', 'VIGIL_SECRET_KEYS']) expect(message).toContain(variable);
    expect(message).not.toContain(SAMPLE_SEED);
    expect(message).not.toContain('dev-admin-key');
  });
});
