// The console page: four views over the console server's same-origin gateway (tools/console/console-app.ts).
import { generateDeviceKeys, parseActivationUri, signRequest, verifyServerPayload, type DeviceKeys, type SignedPayload } from '@vigil/device-sdk';
import { loadDevice, forgetDevice, saveDevice, type StoredDevice } from './device-store.ts';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const text = (id: string, value: string) => void ($(id).textContent = value);

async function api<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(path, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const raw = await response.text();
  return { status: response.status, body: (raw ? JSON.parse(raw) : {}) as T };
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
  $('admin-qr').innerHTML = svg;
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
$('totp-confirm').addEventListener('submit', async (event) => {
  event.preventDefault();
  if (!totpEnrollment) return;
  const answer = await api('POST', `/api/admin/users/${encodeURIComponent(totpEnrollment.userId)}/totp-enrollments/${totpEnrollment.enrollmentId}/confirm`, { code: $<HTMLInputElement>('totp-code').value });
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
const seen = new Set<string>();

async function deviceRequest<T>(service: 'enrollment' | 'verification', method: string, pathWithQuery: string, payload?: unknown, keys?: DeviceKeys, deviceId?: string) {
  const body = payload === undefined ? '' : JSON.stringify(payload);
  const headers = await signRequest(keys ?? (device as StoredDevice).keys, { method, pathWithQuery, body, ...(deviceId ?? device?.activation.deviceId ? { deviceId: deviceId ?? device?.activation.deviceId } : {}) });
  const response = await fetch(`/device/${service}${pathWithQuery}`, { method, headers: body ? { ...headers, 'content-type': 'application/json' } : headers, ...(body ? { body } : {}) });
  const raw = await response.text();
  return { status: response.status, body: (raw ? JSON.parse(raw) : {}) as T };
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
  showDevice();
});

function renderChallenge(payload: { challengeId: string; context: Record<string, unknown>; expiresAt: string; numberMatchDigits: number }): void {
  const card = document.createElement('div');
  card.className = 'card';
  card.dataset['challengeId'] = payload.challengeId;
  const context = payload.context as { application?: string; ip?: string; location?: { city?: string; country?: string } };
  card.innerHTML = `<h3>Sign-in request</h3>
    <p class="context">${[context.application, context.ip, context.location?.city, context.location?.country].filter(Boolean).map(String).join(' · ')}</p>
    <p class="context">expires ${new Date(payload.expiresAt).toLocaleTimeString()}</p>
    <div class="row"><label>Number shown at sign-in <input class="number-input" inputmode="numeric" maxlength="${payload.numberMatchDigits}"></label></div>
    <div class="row"><button class="approve">Approve</button><button class="deny">Deny</button><button class="report">Report fraud</button></div>
    <p class="status"></p>`;
  const answer = async (decision: 'approve' | 'deny' | 'report') => {
    const numberMatch = (card.querySelector('.number-input') as HTMLInputElement).value;
    const result = await deviceRequest<{ status?: string }>('verification', 'POST', `/v1/device/challenges/${payload.challengeId}/response`, decision === 'approve' ? { decision, numberMatch } : { decision });
    (card.querySelector('.status') as HTMLElement).textContent = result.status === 200 ? `Done: ${result.body.status}` : problem(result);
    setTimeout(() => card.remove(), 3_000);
  };
  card.querySelector('.approve')?.addEventListener('click', () => void answer('approve'));
  card.querySelector('.deny')?.addEventListener('click', () => void answer('deny'));
  card.querySelector('.report')?.addEventListener('click', () => void answer('report'));
  const list = $('auth-pending');
  list.querySelector('.hint')?.remove();
  list.prepend(card);
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
        text('auth-status', 'This device was revoked or replaced.');
        await new Promise((resolve) => setTimeout(resolve, 5_000));
        continue;
      }
      for (const signed of pending.body.challenges ?? []) {
        const payload = await verifyServerPayload<{ challengeId: string; context: Record<string, unknown>; expiresAt: string; numberMatchDigits: number }>(signed, { publicKey: device.activation.serverPublicKey, keyId: device.activation.serverKeyId });
        if (!payload) {
          text('auth-status', 'A challenge with a bad server signature was ignored.');
          continue;
        }
        if (seen.has(payload.challengeId)) continue;
        seen.add(payload.challengeId);
        renderChallenge(payload);
      }
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

// Login simulator
$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const userId = $<HTMLInputElement>('login-user').value.trim();
  const answer = await api<{ challengeId: string; numberMatch: string }>('POST', '/api/login/challenges', {
    userId, context: { ip: '203.0.113.7', application: $<HTMLInputElement>('login-app').value || 'console', userAgent: navigator.userAgent.slice(0, 200) },
  });
  if (answer.status !== 201) {
    text('login-status', problem(answer));
    return;
  }
  text('login-status', '');
  $('login-card').hidden = false;
  text('login-number', answer.body.numberMatch);
  text('login-result', 'pending');
  for (;;) {
    const result = await api<{ status: string; reason: string | null }>('GET', `/api/login/challenges/${answer.body.challengeId}?waitSeconds=25`);
    if (result.status !== 200) return text('login-result', problem(result));
    if (result.body.status !== 'pending') return text('login-result', result.body.reason ? `${result.body.status} (${result.body.reason})` : result.body.status);
  }
});

// SOC
interface Alert { alertId: string; rule: string; severity: string; userId: string; tenantId: string; count: number; status: string; lastSeenAt: string; firstSeenAt: string; sourceIps: string[]; mitigation: { action?: string; until?: string } | null }
const alerts = new Map<string, Alert>();
function renderAlerts(): void {
  const escape = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const rows = [...alerts.values()].sort((a, b) => b.lastSeenAt.localeCompare(a.lastSeenAt));
  $('soc-rows').innerHTML = rows.map((alert) => `<tr data-rule="${escape(alert.rule)}">
    <td>${new Date(alert.lastSeenAt).toLocaleTimeString()}</td>
    <td><span class="sev-${escape(alert.severity)}">${escape(alert.severity)}</span></td><td>${escape(alert.rule)}</td><td>${escape(alert.userId)}</td>
    <td>${alert.count}</td><td>${escape(alert.status)}</td><td>${escape((alert.sourceIps ?? []).join(', '))}</td>
    <td>${alert.mitigation ? escape(`${alert.mitigation.action ?? 'mitigated'}${alert.mitigation.until ? ` until ${new Date(alert.mitigation.until).toLocaleTimeString()}` : ''}`) : '—'}</td></tr>`).join('');
  const times = rows.map((alert) => Date.parse(alert.lastSeenAt));
  const [first, last] = [Math.min(...times), Math.max(...times)];
  const colours: Record<string, string> = { critical: '#b91c1c', high: '#ea580c', medium: '#ca8a04', low: '#64748b' };
  $('soc-timeline').innerHTML = rows.map((alert, i) => {
    const x = last > first ? 3 + ((times[i] as number) - first) / (last - first) * 94 : 50;
    return `<span class="dot" title="${alert.rule} ${alert.userId}" style="left:${x}%;background:${colours[alert.severity] ?? '#64748b'}"></span>`;
  }).join('');
}
async function startSoc(): Promise<void> {
  const history = await api<{ alerts: Alert[] }>('GET', '/api/alerts?limit=50');
  for (const alert of history.body.alerts ?? []) alerts.set(alert.alertId, alert);
  renderAlerts();
  const stream = new EventSource('/api/alerts/stream');
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
void startSoc();
