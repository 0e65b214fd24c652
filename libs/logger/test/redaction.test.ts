import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/index.ts';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({ write(chunk, _encoding, done) { lines.push(String(chunk)); done(); } });
  return { lines, log: createLogger({ name: 'test', level: 'debug', destination }) };
}

describe('logger redaction', () => {
  it('never writes secrets, keys, codes or tokens', () => {
    const { lines, log } = capture();
    log.info({
      apiKey: 'k-123-secret', pushToken: 'fcm-token-abc', secret: 'JBSWY3DPEHPK3PXP', privateKey: 'priv-xyz',
      device: { pushToken: 'nested-token' }, body: { code: '123456' }, req: { headers: { authorization: 'Bearer abc' } },
      activationCode: 'act-code-999',
    }, 'something happened');
    const text = lines.join('');
    for (const value of ['k-123-secret', 'fcm-token-abc', 'JBSWY3DPEHPK3PXP', 'priv-xyz', 'nested-token', '123456', 'Bearer abc', 'act-code-999']) {
      expect(text).not.toContain(value);
    }
    expect(text).toContain('something happened');
  });

  it('keeps error codes, which are not secrets', () => {
    const { lines, log } = capture();
    log.warn({ err: Object.assign(new Error('boom'), { code: 'throttled' }) }, 'refused');
    expect(lines.join('')).toContain('throttled');
  });
});
