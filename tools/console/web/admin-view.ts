// Admin: push and TOTP enrollments (their QR codes), the user's factors, and lifting a push suspension.
import { api, problem } from './console-api.ts';
import { digitsInput, digitsOf } from './digits-input.ts';
import { element } from './element.ts';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const text = (id: string, value: string) => void ($(id).textContent = value);
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

async function startPushEnrollment(): Promise<void> {
  const answer = await api<{ activationUri: string; qrSvg: string; expiresAt: string }>('POST', `/api/admin/users/${encodeURIComponent(adminUser())}/push-enrollments`, {});
  if (answer.status !== 201) return text('admin-status', problem(answer));
  $('totp-confirm').hidden = true;
  showQr(`Push enrollment for ${adminUser()}`, answer.body.qrSvg, answer.body.activationUri);
  text('admin-status', `Scan with the phone app, or paste the URI into the browser authenticator. Expires ${new Date(answer.body.expiresAt).toLocaleTimeString()}.`);
}

async function startTotpEnrollment(): Promise<void> {
  const answer = await api<{ otpauthUri: string; qrSvg: string; enrollmentId: string }>('POST', `/api/admin/users/${encodeURIComponent(adminUser())}/totp-enrollments`, { issuer: 'Vigil' });
  if (answer.status !== 201) return text('admin-status', problem(answer));
  totpEnrollment = { userId: adminUser(), enrollmentId: answer.body.enrollmentId };
  $('totp-confirm').hidden = false;
  showQr(`TOTP for ${adminUser()}`, answer.body.qrSvg, answer.body.otpauthUri);
  text('admin-status', 'Scan with an authenticator app, then confirm with a code.');
}

async function confirmTotp(codeInput: HTMLInputElement): Promise<void> {
  if (!totpEnrollment) return;
  const typed = digitsOf(codeInput, 6);
  if ('problem' in typed) return text('admin-status', typed.problem);
  const answer = await api('POST', `/api/admin/users/${encodeURIComponent(totpEnrollment.userId)}/totp-enrollments/${encodeURIComponent(totpEnrollment.enrollmentId)}/confirm`, { code: typed.value });
  text('admin-status', answer.status === 200 ? 'TOTP confirmed.' : problem(answer));
}

export function startAdminView(): void {
  $('admin-push').addEventListener('click', () => void startPushEnrollment());
  $('admin-totp').addEventListener('click', () => void startTotpEnrollment());
  const totpCodeInput = digitsInput($<HTMLInputElement>('totp-code'), 6);
  $('totp-confirm').addEventListener('submit', (event) => {
    event.preventDefault();
    void confirmTotp(totpCodeInput);
  });
  $('admin-factors').addEventListener('click', async () => {
    const answer = await api('GET', `/api/admin/users/${encodeURIComponent(adminUser())}/factors`);
    text('admin-factors-out', answer.status === 200 ? JSON.stringify(answer.body, null, 2) : problem(answer));
  });
  $('admin-lift').addEventListener('click', async () => {
    const answer = await api('DELETE', `/api/admin/users/${encodeURIComponent(adminUser())}/push-suspension`);
    text('admin-status', answer.status === 204 ? `Pushes to ${adminUser()} restored.` : problem(answer));
  });
}
