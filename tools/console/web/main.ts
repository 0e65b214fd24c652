// The console page: four views over the console server's same-origin gateway (tools/console/console-app.ts).
// Everything that comes from data reaches the DOM as text (textContent, element()): never innerHTML.
import {
  deliveryNotice, generateDeviceKeys, groupDigits, parseActivationUri, signRequest, verifyServerPayload, type ChallengePayload, type DeviceKeys, type SignedPayload,
} from '@vigil/device-sdk';
import { TOKEN_HEADER, takeConsoleToken } from './console-token.ts';
import { loadDevice, forgetDevice, saveDevice, type StoredDevice } from './device-store.ts';
import { digitsInput, digitsOf } from './digits-input.ts';
import { element } from './element.ts';
import { startTotpPanel } from './totp-panel.ts';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const text = (id: string, value: string) => void ($(id).textContent = value);

const token = takeConsoleToken();
const tokenHeader: Record<string, string> = token ? { [TOKEN_HEADER]: token } : {};
$('console-locked').hidden = token !== null;

async function answerOf<T>(response: Response): Promise<{ status: number; body: T }> {
  const raw = await response.text();
  const body = (raw ? JSON.parse(raw) : {}) as T;
  if (response.status === 401 && (body as { code?: string }).code === 'console_token_required') $('console-locked').hidden = false;
  return { status: response.status, body };
}

async function api<T = Record<string, unknown>>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<{ status: number; body: T }> {
  const headers = body === undefined ? tokenHeader : { ...tokenHeader, 'content-type': 'application/json' };
  return answerOf<T>(await fetch(path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }), ...(signal ? { signal } : {}) }));
}
const problem = (answer: { status: number; body: unknown }) => {
  const detail = answer.body as { code?: string; detail?: string };
  return `${answer.status} ${detail.code ?? ''}${detail.detail ? `: ${detail.detail}` : ''}`;
};

// Navigation
function show(page: string): void {
  for (const section of document.querySelectorAll<HTMLElement>('.page')) section.classList.toggle('active', section.id === page);
  for (const link of document.querySelectorAll<HTMLElement>('nav a')) link.classList.toggle('active', link.dataset['page'] === page);
}
window.addEventListener('hashchange', () => show(location.hash.slice(1) || 'admin'));
show(location.hash.slice(1) || 'admin');

// Admin
const adminUser = () => ($<HTMLInputElement>('admin-user').value.trim());
let totpEnrollment: { userId: string; enrollmentId: string } | null = null;
function showQr(title: string, svg: string, uri: string): void {
  $('admin-qr-card').hidden = false;
  text('admin-qr-title', title);
  // An image, not markup in the page: even an SVG with script in it runs nothing as an <img>.
  const image = element('img');
  image.alt = `QR code: ${uri}`;
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  $('admin-qr').replaceChildren(image);
  text('admin-uri', uri);
}
$('admin-push').addEventListener('click', async () => {
  const answer = await api<{ activationUri: string; qrSvg: string; expiresAt: string }>('POST', `/api/admin/users/${encodeURIComponent(adminUser())}/push-enrollments`, {});
  if (answer.status !== 201) return text('admin-status', problem(answer));
  $('totp-confirm').hidden = true;
  showQr(`Push enrollment for ${adminUser()}`, answer.body.qrSvg, answer.body.activationUri);
  text('admin-status', `Scan with the phone app, or paste the URI into the browser authenticator. Expires ${new Date(answer.body.expiresAt).toLocaleTimeString()}.`);
});
$('admin-totp').addEventListener('click', async () => {
  const answer = await api<{ otpauthUri: string; qrSvg: string; enrollmentId: string }>('POST', `/api/admin/users/${encodeURIComponent(adminUser())}/totp-enrollments`, { issuer: 'Vigil' });
  if (answer.status !== 201) return text('admin-status', problem(answer));
  totpEnrollment = { userId: adminUser(), enrollmentId: answer.body.enrollmentId };
  $('totp-confirm').hidden = false;
  showQr(`TOTP for ${adminUser()}`, answer.body.qrSvg, answer.body.otpauthUri);
  text('admin-status', 'Scan with an authenticator app, then confirm with a code.');
});
const totpCodeInput = digitsInput($<HTMLInputElement>('totp-code'), 6);
$('totp-confirm').addEventListener('submit', async (event) => {
  event.preventDefault();
  if (!totpEnrollment) return;
  const typed = digitsOf(totpCodeInput, 6);
  if ('problem' in typed) return text('admin-status', typed.problem);
  const answer = await api('POST', `/api/admin/users/${encodeURIComponent(totpEnrollment.userId)}/totp-enrollments/${encodeURIComponent(totpEnrollment.enrollmentId)}/confirm`, { code: typed.value });
  text('admin-status', answer.status === 200 ? 'TOTP confirmed.' : problem(answer));
});
$('admin-factors').addEventListener('click', async () => {
  const answer = await api('GET', `/api/admin/users/${encodeURIComponent(adminUser())}/factors`);
  text('admin-factors-out', answer.status === 200 ? JSON.stringify(answer.body, null, 2) : problem(answer));
});
$('admin-lift').addEventListener('click', async () => {
  const answer = await api('DELETE', `/api/admin/users/${encodeURIComponent(adminUser())}/push-suspension`);
  text('admin-status', answer.status === 204 ? `Pushes to ${adminUser()} restored.` : problem(answer));
});

// Browser authenticator
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

$('auth-activate').addEventListener('click', async () => {
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
});
$('auth-forget').addEventListener('click', async () => {
  await forgetDevice();
  device = null;
  $('auth-pending').replaceChildren();
  showDevice();
});

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
      await new Promise((resolve) => setTimeout(resolve, 500));
      continue;
    }
    try {
      const pending = await deviceRequest<{ challenges: SignedPayload[] }>('verification', 'GET', '/v1/device/challenges/pending?waitSeconds=20');
      if (pending.status === 401) {
        const tokenRefused = (pending.body as { code?: string }).code === 'console_token_required';
        text('auth-status', tokenRefused ? 'The console refused this page: its token is missing or out of date.' : 'This device was revoked or replaced.');
        await new Promise((resolve) => setTimeout(resolve, 5_000));
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
      if (verified.length > 0) await new Promise((resolve) => setTimeout(resolve, 1_500));
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

// Login simulator
// Each sign-in follows its own challenge. A new one stops following the older one (which stays pending at the
// service): its result must not write over the newer one's, and its long poll must not hold one of the browser's six
// connections to the console, which a quick series of sign-ins (push bombing) would otherwise exhaust.
let following = new AbortController();
const DELIVERY_LINES: Record<string, string> = {
  push: 'push: sent to the phone',
  quiet: 'quiet: not pushed to the phone (unusual activity); the authenticator lists it, with a warning, when opened',
};
$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  following.abort();
  const mine = (following = new AbortController());
  const userId = $<HTMLInputElement>('login-user').value.trim();
  const answer = await api<{ challengeId: string; numberMatch: string; delivery?: string }>('POST', '/api/login/challenges', {
    userId, context: { ip: '203.0.113.7', application: $<HTMLInputElement>('login-app').value || 'console', userAgent: navigator.userAgent.slice(0, 200) },
  });
  if (mine.signal.aborted) return;
  if (answer.status !== 201) {
    text('login-status', problem(answer));
    return;
  }
  text('login-status', '');
  $('login-card').hidden = false;
  text('login-number', groupDigits(answer.body.numberMatch));
  const delivery = answer.body.delivery ?? 'push';
  text('login-delivery', DELIVERY_LINES[delivery] ?? delivery);
  $('login-delivery').classList.toggle('quiet', delivery === 'quiet');
  text('login-result', 'pending');
  for (;;) {
    let result: { status: number; body: { status: string; reason: string | null } };
    try {
      result = await api('GET', `/api/login/challenges/${answer.body.challengeId}?waitSeconds=25`, undefined, mine.signal);
    } catch (error) {
      if (!mine.signal.aborted) text('login-result', `unreachable: ${(error as Error).message}`);
      return;
    }
    if (mine.signal.aborted) return;
    if (result.status !== 200) return text('login-result', problem(result));
    if (result.body.status !== 'pending') return text('login-result', result.body.reason ? `${result.body.status} (${result.body.reason})` : result.body.status);
  }
});
const loginCode = digitsInput($<HTMLInputElement>('login-code'), 6);
$('login-totp-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const typed = digitsOf(loginCode, 6);
  if ('problem' in typed) return text('login-code-result', typed.problem);
  const answer = await api<{ valid: boolean; reason: string | null }>('POST', '/api/login/totp', { userId: $<HTMLInputElement>('login-user').value.trim(), code: typed.value });
  if (answer.status !== 200) return text('login-code-result', problem(answer));
  text('login-code-result', answer.body.valid ? 'accepted' : `refused (${answer.body.reason ?? 'invalid_code'})`);
});

// SOC
interface Alert { alertId: string; rule: string; severity: string; userId: string; tenantId: string; count: number; status: string; lastSeenAt: string; firstSeenAt: string; sourceIps: string[]; mitigation: { action?: string; until?: string } | null }
const alerts = new Map<string, Alert>();
const SEVERITY_COLOURS: Record<string, string> = { critical: '#b91c1c', high: '#ea580c', medium: '#ca8a04', low: '#64748b' };
function alertRow(alert: Alert): HTMLTableRowElement {
  const until = alert.mitigation?.until ? ` until ${new Date(alert.mitigation.until).toLocaleTimeString()}` : '';
  const cells = [
    new Date(alert.lastSeenAt).toLocaleTimeString(),
    element('span', { className: `sev-${alert.severity}` }, alert.severity),
    alert.rule, alert.userId, String(alert.count), alert.status, (alert.sourceIps ?? []).join(', '),
    alert.mitigation ? `${alert.mitigation.action ?? 'mitigated'}${until}` : '—',
  ];
  return element('tr', { data: { rule: alert.rule } }, ...cells.map((cell) => element('td', {}, cell)));
}
function renderAlerts(): void {
  const rows = [...alerts.values()].sort((a, b) => b.lastSeenAt.localeCompare(a.lastSeenAt));
  $('soc-rows').replaceChildren(...rows.map(alertRow));
  const times = rows.map((alert) => Date.parse(alert.lastSeenAt));
  const [first, last] = [Math.min(...times), Math.max(...times)];
  $('soc-timeline').replaceChildren(...rows.map((alert, i) => {
    const dot = element('span', { className: 'dot', title: `${alert.rule} ${alert.userId}` });
    // CSSOM, not a style attribute: the CSP allows no inline style markup.
    dot.style.left = `${last > first ? 3 + ((times[i] as number) - first) / (last - first) * 94 : 50}%`;
    dot.style.background = SEVERITY_COLOURS[alert.severity] ?? '#64748b';
    return dot;
  }));
}
async function startSoc(): Promise<void> {
  const history = await api<{ alerts: Alert[] }>('GET', '/api/alerts?limit=50');
  for (const alert of history.body.alerts ?? []) alerts.set(alert.alertId, alert);
  renderAlerts();
  // EventSource cannot send a header: the stream takes the token as a query parameter.
  const stream = new EventSource(`/api/alerts/stream?token=${encodeURIComponent(token ?? '')}`);
  stream.addEventListener('open', () => { text('soc-live', 'live'); $('soc-live').classList.add('live'); });
  stream.addEventListener('error', () => { text('soc-live', 'reconnecting'); $('soc-live').classList.remove('live'); });
  stream.addEventListener('alert', (event) => {
    const alert = JSON.parse((event as MessageEvent<string>).data) as Alert;
    alerts.set(alert.alertId, alert);
    renderAlerts();
  });
}

device = await loadDevice();
showDevice();
void pollLoop();
void startTotpPanel();
void startSoc();
