import { describe, expect, it } from 'vitest';
import { ConfigError, bool, describeConfig, int, list, loadConfig, oneOf, port, proxyTrust, str, url } from '../src/index.ts';

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

describe('proxyTrust', () => {
  it('reads false, true, a hop count, or addresses and CIDRs, and refuses anything else', () => {
    const spec = { TRUST_PROXY: proxyTrust({ default: false }) };
    expect(loadConfig(spec, {}).TRUST_PROXY).toBe(false);
    expect(loadConfig(spec, { TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(loadConfig(spec, { TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(loadConfig(spec, { TRUST_PROXY: '10.0.0.0/8, 192.0.2.1,2001:db8::/32' }).TRUST_PROXY).toEqual(['10.0.0.0/8', '192.0.2.1', '2001:db8::/32']);
    for (const bad of ['yes-please', '10.0.0.0/33', 'proxy.example.com', '10.0.0.1/8/2']) expect(() => loadConfig(spec, { TRUST_PROXY: bad }), bad).toThrow(ConfigError);
  });
});
