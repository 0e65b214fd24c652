import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLoginClient } from '../src/index.ts';

// The client's loop against scripted answers from a real HTTP server: each GET takes the next answer in line.
type Scripted = { status: number; body?: unknown; retryAfter?: string };
let server: Server | undefined;
const seen: string[] = [];

async function serve(answers: Scripted[]): Promise<string> {
  seen.length = 0;
  server = createServer((request, response) => {
    seen.push(request.url ?? '');
    const next = answers.length > 1 ? answers.shift()! : answers[0]!;
    const problem = next.status >= 400;
    response.writeHead(next.status, {
      'content-type': problem ? 'application/problem+json' : 'application/json', ...(next.retryAfter ? { 'retry-after': next.retryAfter } : {}),
    });
    response.end(next.body === undefined ? '' : JSON.stringify(next.body));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

const state = (status: string) => ({ status: 200, body: { challengeId: 'c1', userId: 'alice', status, reason: null, decidedAt: null } });
const problem = (status: number, code: string, retryAfter?: string) => ({ status, body: { type: 't', title: 't', status, detail: code, code }, ...(retryAfter ? { retryAfter } : {}) });

describe('waitForDecision', () => {
  it('waits out an outage (503) and returns the decision', async () => {
    const url = await serve([problem(503, 'unavailable'), state('pending'), state('approved')]);
    const client = createLoginClient({ challengeUrl: url, verificationUrl: url, apiKey: 'k' });
    expect(await client.waitForDecision('c1', { timeoutMs: 10_000 })).toMatchObject({ ok: true, value: { status: 'approved' } });
    expect(seen).toHaveLength(3);
    expect(seen[0]).toBe('/v1/challenges/c1?waitSeconds=10');
  });

  it('ends at a refusal that a repeat cannot cure, with its code', async () => {
    const url = await serve([problem(404, 'not_found')]);
    const client = createLoginClient({ challengeUrl: url, verificationUrl: url, apiKey: 'k' });
    expect(await client.waitForDecision('c1', { timeoutMs: 10_000 })).toEqual({
      ok: false, problem: { status: 404, code: 'not_found', detail: 'not_found', retryAfterSeconds: null },
    });
    expect(seen).toHaveLength(1);
  });

  it('answers the pending challenge at the deadline, without a burst of polls', async () => {
    const url = await serve([state('pending')]);
    const client = createLoginClient({ challengeUrl: url, verificationUrl: url, apiKey: 'k' });
    expect(await client.waitForDecision('c1', { timeoutMs: 1_200 })).toMatchObject({ ok: true, value: { status: 'pending' } });
    expect(seen.length).toBeLessThanOrEqual(3);
  });
});

describe('refusals as values', () => {
  it('carries the contract code and Retry-After of a throttled create, and whether it was a repeat', async () => {
    const url = await serve([problem(429, 'throttled', '7')]);
    const client = createLoginClient({ challengeUrl: url, verificationUrl: url, apiKey: 'k' });
    expect(await client.createChallenge({ userId: 'alice' })).toMatchObject({ ok: false, problem: { status: 429, code: 'throttled', retryAfterSeconds: 7 } });
  });
});
