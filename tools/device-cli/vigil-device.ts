// `npm run device -- <command>`: a phone in a terminal, so that a person can try Vigil from two terminals.
//   activate <activationUri> [--name N] [--platform ios|android|web]
//   pending [--wait SECONDS]                 list challenges waiting for this device (checks the server signature)
//   approve <challengeId> <number> | deny <challengeId> | report <challengeId>
// Options: --profile NAME (default "phone"), --verification URL (default: from .vigil/stack.json).
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { VigilDevice, decodeBase64Url, deviceKeysFromSecret, encodeBase64Url, generateDeviceKeys, parseActivationUri, type SignedPayload } from '@vigil/device-sdk';
import { loadProfile, saveProfile } from './profile-store.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    profile: { type: 'string', default: 'phone' },
    name: { type: 'string' },
    platform: { type: 'string', default: 'ios' },
    wait: { type: 'string', default: '0' },
    verification: { type: 'string' },
  },
});
const stateDir = resolve(process.env['VIGIL_STATE_DIR'] ?? join(process.cwd(), '.vigil'));
const profile = values.profile ?? 'phone';

function verificationUrl(): string {
  if (values.verification) return values.verification;
  const stackFile = join(stateDir, 'stack.json');
  if (!existsSync(stackFile)) throw new Error('no .vigil/stack.json: start Vigil with `npm start`, or pass --verification URL');
  return (JSON.parse(readFileSync(stackFile, 'utf8')) as { services: { verification: string } }).services.verification;
}

async function device(): Promise<VigilDevice> {
  const saved = loadProfile(stateDir, profile);
  return new VigilDevice(await deviceKeysFromSecret(decodeBase64Url(saved.secretKey)), saved.activation);
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

async function activate(uri: string | undefined): Promise<void> {
  if (!uri) fail('usage: npm run device -- activate <activationUri>');
  const platform = values.platform as 'ios' | 'android' | 'web';
  const keys = await generateDeviceKeys();
  const phone = await VigilDevice.activate(uri, { platform, keys, pushToken: null, deviceName: values.name ?? `${profile} (CLI)` });
  saveProfile(stateDir, profile, { secretKey: encodeBase64Url(keys.secretKey), activation: phone.activation, enrollmentUrl: parseActivationUri(uri).api });
  process.stdout.write(`activated: device ${phone.deviceId} for ${phone.activation.tenantId}/${phone.activation.userId} (poll mode)\n`);
}

async function pending(): Promise<void> {
  const phone = await device();
  const answer = await phone.request<{ challenges: SignedPayload[] }>(verificationUrl(), 'GET', `/v1/device/challenges/pending?waitSeconds=${Number(values.wait)}`);
  if (answer.status !== 200) fail(`refused: ${answer.status} ${JSON.stringify(answer.body)}`);
  if (answer.body.challenges.length === 0) process.stdout.write('no pending challenge\n');
  for (const signed of answer.body.challenges) {
    const payload = await phone.verifyServerPayload<{ challengeId: string; expiresAt: string; numberMatchDigits: number; context: Record<string, unknown> }>(signed);
    if (!payload) {
      process.stdout.write('ignored a challenge whose server signature does not verify\n');
      continue;
    }
    process.stdout.write(`challenge ${payload.challengeId}  expires ${payload.expiresAt}  type the ${payload.numberMatchDigits}-digit number shown at sign-in  context ${JSON.stringify(payload.context)}\n`);
  }
}

async function decide(decision: 'approve' | 'deny' | 'report', challengeId: string | undefined, numberMatch: string | undefined): Promise<void> {
  if (!challengeId || (decision === 'approve' && !numberMatch)) fail(`usage: npm run device -- ${decision} <challengeId>${decision === 'approve' ? ' <number>' : ''}`);
  const phone = await device();
  const answer = await phone.request<{ status?: string; code?: string; detail?: string }>(verificationUrl(), 'POST', `/v1/device/challenges/${challengeId}/response`, {
    decision, ...(numberMatch ? { numberMatch } : {}),
  });
  if (answer.status === 200) process.stdout.write(`${answer.body.status}\n`);
  else fail(`refused: ${answer.status} ${answer.body.code ?? ''} ${answer.body.detail ?? ''}`);
}

const [command, first, second] = positionals;
try {
  if (command === 'activate') await activate(first);
  else if (command === 'pending') await pending();
  else if (command === 'approve' || command === 'deny' || command === 'report') await decide(command, first, second);
  else fail('commands: activate <activationUri> | pending [--wait S] | approve <challengeId> <number> | deny <challengeId> | report <challengeId>');
} catch (error) {
  fail((error as Error).message);
}
