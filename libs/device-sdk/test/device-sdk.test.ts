import { describe, expect, it } from 'vitest';
import { deviceRequestMessage } from '@vigil/crypto/messages';
import { ed25519SigningKey, serverChallengeMessage, toBase64Url, verifyEd25519 } from '@vigil/crypto';
import { generateDeviceKeys, parseActivationUri, signRequest, totpCode, verifyServerPayload } from '../src/index.ts';

describe('device SDK', () => {
  it('signs requests that the server (node:crypto) verifies', async () => {
    const keys = await generateDeviceKeys();
    const headers = await signRequest(keys, { method: 'POST', pathWithQuery: '/v1/x', body: '{"a":1}', deviceId: 'dev-1', timestampMs: 1_700_000_000_000 });
    expect(headers['x-vigil-device']).toBe('dev-1');
    const message = deviceRequestMessage({ method: 'POST', pathWithQuery: '/v1/x', timestamp: '1700000000000', rawBody: '{"a":1}' });
    expect(verifyEd25519(keys.publicKey, message, headers['x-vigil-signature'] as string)).toBe(true);
  });

  it('accepts a payload signed by the server key and nothing else', async () => {
    const server = ed25519SigningKey(toBase64Url(new Uint8Array(32).fill(7)));
    const payload = JSON.stringify({ challengeId: 'c-1' });
    const signed = { payload, signature: server.sign(serverChallengeMessage(payload)), keyId: server.keyId };
    const trust = { publicKey: server.publicKey, keyId: server.keyId };
    expect(await verifyServerPayload(signed, trust)).toEqual({ challengeId: 'c-1' });
    expect(await verifyServerPayload({ ...signed, payload: JSON.stringify({ challengeId: 'c-2' }) }, trust)).toBeNull();
    expect(await verifyServerPayload({ ...signed, keyId: 'other' }, trust)).toBeNull();
  });

  // RFC 6238 Appendix B, SHA-1 rows (the 6-digit codes are the last six of the 8-digit ones).
  it.each([
    [59, '287082'], [1111111109, '081804'], [1111111111, '050471'], [1234567890, '005924'], [2000000000, '279037'], [20000000000, '353130'],
  ])('produces the RFC 6238 code at T=%i', (seconds, code) => {
    expect(totpCode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', new Date(seconds * 1000))).toBe(code);
  });

  it('parses activation URIs', () => {
    expect(parseActivationUri('vigil://activate?code=abc&api=http%3A%2F%2F127.0.0.1%3A8081')).toEqual({ activationCode: 'abc', api: 'http://127.0.0.1:8081' });
    expect(() => parseActivationUri('https://evil.example/activate?code=abc&api=x')).toThrow();
  });

  it('refuses an enrollment API over plain http except to loopback', () => {
    const uri = (api: string) => `vigil://activate?code=abc&api=${encodeURIComponent(api)}`;
    expect(parseActivationUri(uri('https://mfa.example.com')).api).toBe('https://mfa.example.com');
    for (const local of ['http://localhost:8081', 'http://127.0.0.1:8081', 'http://[::1]:8081']) expect(parseActivationUri(uri(local)).api).toBe(local);
    for (const remote of ['http://mfa.example.com', 'http://10.0.0.5:8081', 'ftp://mfa.example.com', 'not a url']) expect(() => parseActivationUri(uri(remote)), remote).toThrow();
  });
});
