import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeFcm, type FakeFcm, type FcmEgress } from '../src/index.ts';

/** Runs firebase-admin in a fresh Node process with only the environment the fake hands out. */
function sendFromChild(env: Record<string, string>, script: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}

const SEND = `
import { initializeApp, cert } from 'firebase-admin/app';
import { getMessaging } from 'firebase-admin/messaging';
const account = JSON.parse(process.env.FCM_SERVICE_ACCOUNT_JSON);
const app = initializeApp({ credential: cert({ projectId: account.project_id, clientEmail: account.client_email, privateKey: account.private_key }) });
try { console.log('sent', await getMessaging(app).send({ token: 'egress-token', data: { hello: 'world' } })); }
catch (error) { console.log('failed', error.code); process.exitCode = 3; }
`;

describe('fake FCM as an egress proxy', () => {
  let fcm: FakeFcm;
  let egress: FcmEgress;
  beforeAll(async () => {
    fcm = await startFakeFcm();
    egress = await fcm.egress();
  });
  afterAll(() => fcm.stop());

  it('serves an unmodified firebase-admin over TLS and checks the service account JWT', async () => {
    const result = await sendFromChild(egress.env, SEND);
    expect(result.output).toContain('sent projects/vigil-fake-project/messages/');
    expect(result.code).toBe(0);
    expect(fcm.tokensIssued).toBe(1);
    expect(fcm.requests.at(-1)).toMatchObject({ host: 'fcm.googleapis.com', message: { token: 'egress-token', data: { hello: 'world' } } });
  });

  it('refuses a token request signed by another key', async () => {
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const forged = JSON.stringify({ ...egress.serviceAccount, private_key: stranger });
    const result = await sendFromChild({ ...egress.env, FCM_SERVICE_ACCOUNT_JSON: forged }, SEND);
    expect(result.code).toBe(3);
    expect(result.output).toMatch(/failed (app|messaging)\//);
  });

  it('tunnels nothing else', async () => {
    const proxy = new URL(egress.env['HTTPS_PROXY'] ?? '');
    const { connect } = await import('node:net');
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(Number(proxy.port), proxy.hostname, () => socket.write('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n'));
      socket.once('data', (chunk) => {
        resolve(chunk.toString());
        socket.destroy();
      });
    });
    expect(answer).toMatch(/^HTTP\/1\.1 403/);
  });
});
