import { describe, expect, it } from 'vitest';
import { ConfigError, bool, describeConfig, int, list, loadConfig, port, secret, str, urlOf } from '../src/index.ts';

const spec = {
  CHALLENGE_PORT: port({ default: 8082 }),
  CHALLENGE_TTL_SECONDS: int({ min: 10, max: 600 })({ default: 60 }),
  KAFKA_BROKERS: list({ default: ['127.0.0.1:9092'] }),
  REDIS_URL: urlOf(['redis:'])(),
  FAIL_OPEN: bool({ default: false }),
  MODE: str({ choices: ['fcm', 'poll'] as const, default: 'fcm' }),
  CA_FILE: str({ default: undefined }),
  API_SECRET: secret(str({ default: 'x' })),
};

const problemsOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
};

describe('loadConfig', () => {
  it('applies defaults and parses values', () => {
    const config = loadConfig(spec, { REDIS_URL: 'redis://localhost:6379', KAFKA_BROKERS: 'a:1, b:2', FAIL_OPEN: 'true' });
    expect(config).toEqual({
      CHALLENGE_PORT: 8082, CHALLENGE_TTL_SECONDS: 60, KAFKA_BROKERS: ['a:1', 'b:2'], REDIS_URL: 'redis://localhost:6379', FAIL_OPEN: true,
      MODE: 'fcm', CA_FILE: undefined, API_SECRET: 'x',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('gives an optional variable left unset as undefined, and its value once set', () => {
    expect(loadConfig(spec, { REDIS_URL: 'redis://x' }).CA_FILE).toBeUndefined();
    expect(loadConfig(spec, { REDIS_URL: 'redis://x', CA_FILE: '/etc/ca.pem' }).CA_FILE).toBe('/etc/ca.pem');
  });

  it('counts an empty variable as unset, so its default applies', () => {
    const config = loadConfig(spec, { REDIS_URL: 'redis://x', CHALLENGE_PORT: '', CA_FILE: '', MODE: '' });
    expect(config).toMatchObject({ CHALLENGE_PORT: 8082, CA_FILE: undefined, MODE: 'fcm' });
    expect(problemsOf(() => loadConfig(spec, { REDIS_URL: '' }))).toContain('REDIS_URL: missing (required)');
  });

  it('names every wrong or missing variable at once', () => {
    const message = problemsOf(() => loadConfig(spec, { CHALLENGE_PORT: 'eighty', CHALLENGE_TTL_SECONDS: '5', MODE: 'sms' }));
    for (const problem of ['CHALLENGE_PORT: invalid', 'CHALLENGE_TTL_SECONDS: invalid: expected an integer in 10..600, got "5"', 'REDIS_URL: missing (required)', 'MODE: invalid']) {
      expect(message).toContain(problem);
    }
  });

  it('never prints a secret value, even a malformed one, and masks it in the start-up description', () => {
    const secretSpec = { KEY: secret(int({ min: 0, max: 9 })()) };
    const message = problemsOf(() => loadConfig(secretSpec, { KEY: 'hunter2' }));
    expect(message).toMatch(/^ {2}- KEY: invalid \(a secret: its value is not shown\)$/m);
    expect(message).not.toContain('hunter2');
    const described = describeConfig(spec, loadConfig(spec, { REDIS_URL: 'redis://x' }));
    expect(described).toMatchObject({ API_SECRET: '[secret]', REDIS_URL: 'redis://x', CHALLENGE_PORT: 8082 });
  });
});
