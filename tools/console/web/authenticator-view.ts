// The browser authenticator: a device key pair activated from a push enrollment's URI and kept in IndexedDB, which
// long-polls its pending challenges and answers them with signed requests through the console's /device passthrough.
import {
  deliveryNotice, generateDeviceKeys, parseActivationUri, signRequest, verifyServerPayload, type ChallengePayload, type DeviceKeys, type SignedPayload,
} from '@vigil/device-sdk';
import { answerOf, problem, tokenHeader } from './console-api.ts';
import { loadDevice, forgetDevice, saveDevice, type StoredDevice } from './device-store.ts';
import { digitsInput, digitsOf } from './digits-input.ts';
import { element } from './element.ts';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const text = (id: string, value: string) => void ($(id).textContent = value);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let device: StoredDevice | null = null;

async function deviceRequest<T>(service: 'enrollment' | 'verification', method: string, pathWithQuery: string, payload?: unknown, keys?: DeviceKeys, deviceId?: string) {
  const body = payload === undefined ? '' : JSON.stringify(payload);
  const headers = await signRequest(keys ?? (device as StoredDevice).keys, { method, pathWithQuery, body, ...(deviceId ?? device?.activation.deviceId ? { deviceId: deviceId ?? device?.activation.deviceId } : {}) });
  // The token is for the console's gateway only: it forwards the signature headers, never this one.
  const sent = { ...headers, ...tokenHeader, ...(body ? { 'content-type': 'application/json' } : {}) };
  return answerOf<T>(await fetch(`/device/${service}${pathWithQuery}`, { method, headers: sent, ...(body ? { body } : {}) }));
}

function showDevice(): void {
  $('auth-setup').hidden = device !== null;
  $('auth-device').hidden = device === null;
  if (device) {
    text('auth-user', `${device.activation.userId} (${device.activation.tenantId})`);
    text('auth-device-id', device.activation.deviceId);
  }
}

async function activate(): Promise<void> {
  try {
    const { activationCode } = parseActivationUri($<HTMLInputElement>('auth-uri').value.trim());
    const keys = await generateDeviceKeys();
    const answer = await deviceRequest<StoredDevice['activation'] & { code?: string }>('enrollment', 'POST', '/v1/enrollments/activate', {
      activationCode, publicKey: keys.publicKey, platform: 'web', pushToken: null, deviceName: `Browser (${navigator.platform || 'web'})`,
    }, keys, '');
    if (answer.status !== 201) return text('auth-status', problem(answer));
    device = { keys, activation: answer.body };
    await saveDevice(device);
    text('auth-status', 'Activated.');
    showDevice();
  } catch (error) {
    text('auth-status', (error as Error).message);
  }
}

async function forget(): Promise<void> {
  await forgetDevice();
  device = null;
  $('auth-pending').replaceChildren();
  showDevice();
}

// The context is whatever the tenant's login system sent (any auth key can write it): text only.
function challengeCard(payload: ChallengePayload): HTMLElement {
  const context = payload.context as { application?: string; ip?: string; location?: { city?: string; country?: string } };
  const numberInput = digitsInput(element('input', { className: 'number-input' }), payload.numberMatchDigits);
  const notice = deliveryNotice(payload);
  const status = element('p', { className: 'status' });
  const decisions = { approve: 'Approve', deny: 'Deny', report: 'Report fraud' } as const;
  const buttons = Object.entries(decisions).map(([decision, label]) => {
    const button = element('button', { className: decision }, label);
    button.addEventListener('click', () => void answer(decision as keyof typeof decisions));
    return button;
  });
  const card = element('div', { className: notice ? 'card quiet' : 'card', data: { challengeId: payload.challengeId, createdAt: payload.createdAt, delivery: payload.delivery ?? 'push' } },
    element('h3', {}, 'Sign-in request'),
    notice && element('p', { className: 'notice' }, notice),
    element('p', { className: 'context' }, [context.application, context.ip, context.location?.city, context.location?.country].filter(Boolean).map(String).join(' · ')),
    element('p', { className: 'context' }, `expires ${new Date(payload.expiresAt).toLocaleTimeString()}`),
    element('div', { className: 'row' }, element('label', {}, `The ${payload.numberMatchDigits}-digit number shown at sign-in`, numberInput)),
    element('div', { className: 'row' }, ...buttons),
    status);
  const answer = async (decision: keyof typeof decisions) => {
    const typed = digitsOf(numberInput, payload.numberMatchDigits);
    // A wrong number denies the sign-in for good (number_mismatch): a typo should cost a retype, not the login.
    if (decision === 'approve' && 'problem' in typed) return void (status.textContent = `${typed.problem} No answer was sent.`);
    card.dataset['answered'] = 'true';
    const result = await deviceRequest<{ status?: string }>('verification', 'POST', `/v1/device/challenges/${encodeURIComponent(payload.challengeId)}/response`, 'value' in typed && decision === 'approve' ? { decision, numberMatch: typed.value } : { decision });
    status.textContent = result.status === 200 ? `Done: ${result.body.status}` : problem(result);
    setTimeout(() => card.remove(), 3_000);
  };
  return card;
}

/**
 * Shows the device's live challenges, newest first: new ones get a card in their place, and cards whose challenge is
 * no longer pending (expired, or decided elsewhere) go, unless this page just answered them and shows the outcome.
 */
function showPending(payloads: ChallengePayload[]): void {
  const list = $('auth-pending');
  const live = new Set(payloads.map((payload) => payload.challengeId));
  for (const card of list.querySelectorAll<HTMLElement>('.card')) {
    if (!live.has(card.dataset['challengeId'] ?? '') && !card.dataset['answered']) card.remove();
  }
  for (const payload of payloads) {
    if (list.querySelector(`.card[data-challenge-id="${CSS.escape(payload.challengeId)}"]`)) continue;
    const older = [...list.querySelectorAll<HTMLElement>('.card')].find((card) => (card.dataset['createdAt'] ?? '') < payload.createdAt);
    list.insertBefore(challengeCard(payload), older ?? null);
  }
  $('auth-waiting').hidden = list.querySelector('.card') !== null;
}

async function pollLoop(): Promise<void> {
  for (;;) {
    if (!device) {
      await sleep(500);
      continue;
    }
    try {
      const pending = await deviceRequest<{ challenges: SignedPayload[] }>('verification', 'GET', '/v1/device/challenges/pending?waitSeconds=20');
      if (pending.status === 401) {
        const tokenRefused = (pending.body as { code?: string }).code === 'console_token_required';
        text('auth-status', tokenRefused ? 'The console refused this page: its token is missing or out of date.' : 'This device was revoked or replaced.');
        await sleep(5_000);
        continue;
      }
      const verified: ChallengePayload[] = [];
      for (const signed of pending.body.challenges ?? []) {
        const payload = await verifyServerPayload<ChallengePayload>(signed, { publicKey: device.activation.serverPublicKey, keyId: device.activation.serverKeyId });
        if (payload) verified.push(payload);
        else text('auth-status', 'A challenge with a bad server signature was ignored.');
      }
      showPending(verified);
      // The long poll waits only while nothing is pending; with challenges listed it answers at once, so look again
      // in a moment rather than in a tight loop.
      if (verified.length > 0) await sleep(1_500);
    } catch {
      await sleep(1_000);
    }
  }
}

/** Wires the buttons, shows the device kept from an earlier visit (if any) and starts following its challenges. */
export async function startAuthenticatorView(): Promise<void> {
  $('auth-activate').addEventListener('click', () => void activate());
  $('auth-forget').addEventListener('click', () => void forget());
  device = await loadDevice();
  showDevice();
  void pollLoop();
}
