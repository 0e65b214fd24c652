// `npm run device -- <command>`: a phone in a terminal, so that a person can try Vigil from two terminals.
//   activate <activationUri> [--name N] [--platform ios|android|web]
//   pending [--wait SECONDS]                 list challenges waiting for this device, newest first (checks the server
//                                            signature; says when one reached it quietly, without a notification)
//   approve <challengeId> <number> | deny <challengeId> | report <challengeId>   (the number may be typed `123 456`)
//   totp add <otpauth-uri>|-                 keep a TOTP account with this device's secrets (`-`: the URI from stdin)
//   totp code [<account>]                    the current code(s), grouped, and the seconds left
// Options: --profile NAME (default "phone"), --verification URL (default: from .vigil/stack.json).
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  VigilDevice, decodeBase64Url, deviceKeysFromSecret, encodeBase64Url, generateDeviceKeys, newestFirst, parseActivationUri, totpAccountLabel, typedDigits,
  type ChallengePayload, type SignedPayload,
} from '@vigil/device-sdk';
import { challengeLines } from './challenge-listing.ts';
import { activatedDevice, readProfile, saveProfile, type ProfileRef } from './profile-store.ts';
import { addTotpAccount, totpCodeLines } from './totp-commands.ts';

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
const ref: ProfileRef = { stateDir, profile };
const print = (lines: string[]) => void process.stdout.write(lines.map((line) => `${line}\n`).join(''));

function verificationUrl(): string {
  if (values.verification) return values.verification;
  const stackFile = join(stateDir, 'stack.json');
  if (!existsSync(stackFile)) throw new Error('no .vigil/stack.json: start Vigil with `npm start`, or pass --verification URL');
  return (JSON.parse(readFileSync(stackFile, 'utf8')) as { services: { verification: string } }).services.verification;
}

async function device(): Promise<VigilDevice> {
  const saved = activatedDevice(ref);
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
  // A new key replaces the old one; the TOTP accounts kept in the profile stay.
  saveProfile(ref, { ...readProfile(ref), secretKey: encodeBase64Url(keys.secretKey), activation: phone.activation, enrollmentUrl: parseActivationUri(uri).api });
  print([`activated: device ${phone.deviceId} for ${phone.activation.tenantId}/${phone.activation.userId} (poll mode)`]);
}

async function pending(): Promise<void> {
  const phone = await device();
  const answer = await phone.request<{ challenges: SignedPayload[] }>(verificationUrl(), 'GET', `/v1/device/challenges/pending?waitSeconds=${Number(values.wait)}`);
  if (answer.status !== 200) fail(`refused: ${answer.status} ${JSON.stringify(answer.body)}`);
  if (answer.body.challenges.length === 0) print(['no pending challenge']);
  const verified: ChallengePayload[] = [];
  for (const signed of answer.body.challenges) {
    const payload = await phone.verifyServerPayload<ChallengePayload>(signed);
    if (payload) verified.push(payload);
    else print(['ignored a challenge whose server signature does not verify']);
  }
  for (const payload of newestFirst(verified)) print(challengeLines(payload));
}

/**
 * Checks the typed number's length against the challenge before answering: a wrong number denies the sign-in for
 * good (number_mismatch), so a typo should cost a retype, not the login.
 */
async function checkNumber(phone: VigilDevice, challengeId: string, numberMatch: string): Promise<void> {
  if (!/^\d+$/.test(numberMatch)) fail(`the number has digits only (got "${numberMatch}")`);
  const answer = await phone.request<SignedPayload & { code?: string }>(verificationUrl(), 'GET', `/v1/device/challenges/${encodeURIComponent(challengeId)}`);
  if (answer.status !== 200) fail(`refused: ${answer.status} ${answer.body.code ?? ''}`);
  const payload = await phone.verifyServerPayload<ChallengePayload>(answer.body);
  if (!payload) fail('the challenge\'s server signature does not verify: not answered');
  if (numberMatch.length !== payload.numberMatchDigits) fail(`type the ${payload.numberMatchDigits}-digit number shown at sign-in (got ${numberMatch.length} digits): not answered`);
}

async function decide(decision: 'approve' | 'deny' | 'report', challengeId: string | undefined, typed: string[]): Promise<void> {
  const numberMatch = typedDigits(typed.join(''));
  if (!challengeId || (decision === 'approve' && !numberMatch)) fail(`usage: npm run device -- ${decision} <challengeId>${decision === 'approve' ? ' <number>' : ''}`);
  const phone = await device();
  if (decision === 'approve') await checkNumber(phone, challengeId, numberMatch);
  const answer = await phone.request<{ status?: string; code?: string; detail?: string }>(verificationUrl(), 'POST', `/v1/device/challenges/${encodeURIComponent(challengeId)}/response`, {
    decision, ...(decision === 'approve' ? { numberMatch } : {}),
  });
  if (answer.status === 200) print([`${answer.body.status}`]);
  else fail(`refused: ${answer.status} ${answer.body.code ?? ''} ${answer.body.detail ?? ''}`);
}

function totp(action: string | undefined, argument: string | undefined): void {
  if (action === 'add') {
    if (!argument) fail('usage: npm run device -- totp add <otpauth-uri>   (or `-` to read it from stdin)');
    // `-`: the URI (and its secret) from stdin, out of the shell's history and the process list.
    const added = addTotpAccount(ref, argument === '-' ? readFileSync(0, 'utf8').trim() : argument);
    print([`added ${totpAccountLabel(added)}: \`npm run device -- totp code ${added.account}\` shows its code`]);
  } else if (action === 'code') {
    print(totpCodeLines(ref, argument));
  } else {
    fail('usage: npm run device -- totp add <otpauth-uri> | totp code [<account>]');
  }
}

const [command, first, ...rest] = positionals;
try {
  if (command === 'activate') await activate(first);
  else if (command === 'pending') await pending();
  else if (command === 'approve' || command === 'deny' || command === 'report') await decide(command, first, rest);
  else if (command === 'totp') totp(first, rest[0]);
  else fail('commands: activate <activationUri> | pending [--wait S] | approve <challengeId> <number> | deny <challengeId> | report <challengeId> | totp add <otpauth-uri> | totp code [<account>]');
} catch (error) {
  fail((error as Error).message);
}
