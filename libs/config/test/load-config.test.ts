import { describe, expect, it } from 'vitest';
import { ConfigError, bool, describeConfig, int, list, loadConfig, oneOf, port, str, url } from '../src/index.ts';

const spec = {
  CHALLENGE_PORT: port({ default: 8082 }),
  CHALLENGE_TTL_SECONDS: int({ default: 60, min: 10, max: 600 }),
  KAFKA_BROKERS: list({ default: ['127.0.0.1:9092'] }),
  REDIS_URL: url({ protocols: ['redis:'] }),
  FAIL_OPEN: bool({ default: false }),
  MODE: oneOf(['fcm', 'poll'] as const, { default: 'fcm' }),
  API_SECRET: str({ secret: true, default: 'x' }),
};

describe('loadConfig', () => {
  it('applies defaults and parses values', () => {
    const config = loadConfig(spec, { REDIS_URL: 'redis://localhost:6379', KAFKA_BROKERS: 'a:1, b:2', FAIL_OPEN: 'true' });
    expect(config).toMatchObject({ CHALLENGE_PORT: 8082, CHALLENGE_TTL_SECONDS: 60, KAFKA_BROKERS: ['a:1', 'b:2'], FAIL_OPEN: true, MODE: 'fcm' });
  });

  it('names every wrong or missing variable at once', () => {
    let error: unknown;
    try {
      loadConfig(spec, { CHALLENGE_PORT: 'eighty', CHALLENGE_TTL_SECONDS: '5', MODE: 'sms' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const name of ['CHALLENGE_PORT', 'CHALLENGE_TTL_SECONDS', 'REDIS_URL: missing', 'MODE']) expect(message).toContain(name);
  });

  it('never prints a secret value, even a malformed one', () => {
    const secretSpec = { KEY: int({ secret: true }) };
    expect(() => loadConfig(secretSpec, { KEY: 'hunter2' })).toThrow(/KEY: invalid integer$/m);
    expect(() => loadConfig(secretSpec, { KEY: 'hunter2' })).not.toThrow(/hunter2/);
    expect(describeConfig(spec, loadConfig(spec, { REDIS_URL: 'redis://x' })).API_SECRET).toBe('[secret]');
  });
});
