import { describe, expect, it } from 'vitest';
import { ConfigError, int, list, loadConfig, matching, proxyTrust, urlOf } from '../src/index.ts';

const one = <T>(validator: { _parse: (raw: string) => T }, raw: string): T => loadConfig({ VALUE: validator }, { VALUE: raw }).VALUE as T;

describe('int', () => {
  it('reads integers in its range and refuses fractions, words and values outside it', () => {
    const ttl = int({ min: 1, max: 600 })();
    expect(one(ttl, '60')).toBe(60);
    expect(one(ttl, ' 600 ')).toBe(600);
    for (const bad of ['0', '601', '1.5', '1e2', 'ten']) expect(() => one(ttl, bad), bad).toThrow(ConfigError);
  });
});

describe('list', () => {
  it('splits on commas and drops empty items', () => {
    expect(one(list(), 'a:1, b:2,,')).toEqual(['a:1', 'b:2']);
  });
});

describe('urlOf', () => {
  it('accepts its protocols only, without repeating the URL (it may hold a password)', () => {
    const redis = urlOf(['redis:', 'rediss:'])();
    expect(one(redis, 'rediss://:pw@cache:6380')).toBe('rediss://:pw@cache:6380');
    expect(() => one(redis, 'http://:pw@cache')).toThrow(/VALUE: invalid: expected a URL with protocol redis: or rediss:, got http:$/m);
    expect(() => one(redis, 'not a url :pw')).toThrow(/VALUE: invalid: expected a URL$/m);
  });
});

describe('matching', () => {
  it('accepts a value matching its pattern in full', () => {
    const key = matching(/^[A-Za-z0-9_-]{43}$/)();
    expect(one(key, 'A'.repeat(43))).toBe('A'.repeat(43));
    expect(() => one(key, 'A'.repeat(44))).toThrow(ConfigError);
  });
});

describe('proxyTrust', () => {
  it('reads false, true, a hop count, or addresses and CIDRs, and refuses anything else', () => {
    const spec = { TRUST_PROXY: proxyTrust({ default: false }) };
    expect(loadConfig(spec, {}).TRUST_PROXY).toBe(false);
    expect(loadConfig(spec, { TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(loadConfig(spec, { TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(loadConfig(spec, { TRUST_PROXY: '10.0.0.0/8, 192.0.2.1,2001:db8::/32' }).TRUST_PROXY).toEqual(['10.0.0.0/8', '192.0.2.1', '2001:db8::/32']);
    for (const bad of ['yes-please', '10.0.0.0/33', 'proxy.example.com', '10.0.0.1/8/2', ',']) expect(() => loadConfig(spec, { TRUST_PROXY: bad }), bad).toThrow(ConfigError);
  });
});
