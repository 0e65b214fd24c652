import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFinished } from 'vitest';
import { LoginSystem } from './login-system.ts';

// The web console in real Chromium (Debian's package, driven by playwright-core): enroll the browser authenticator for
// push and TOTP (its code confirms the enrollment), approve a push shown by the login simulator, push-bomb (the later
// pushes arrive quietly, with a warning) and watch the alert arrive in the SOC view. Each page is
// saved as a screenshot: under .tmp/console by default, under docs/console (the README's) with `npm run screenshots`.
// Then what the console must refuse: hostile challenge context (shown as text, runs nothing), a cross-site form POST,
// requests without its token or to a foreign Host.

const stack = inject('stack');
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const shots = resolve(import.meta.dirname, '../..', process.env['CONSOLE_SCREENSHOTS_DIR'] ?? '.tmp/console');
let browser: Browser;
let admin: Page;
let phone: Page;
let login: Page;
let soc: Page;
let consoleUrl: string;
let token: string;
/** Chromium's reports of anything the page's Content-Security-Policy blocked: a working page causes none. */
const cspViolations: string[] = [];
const watchCsp = (context: BrowserContext) =>
  context.on('console', (message) => void (message.type() === 'error' && /Content Security Policy/i.test(message.text()) && cspViolations.push(message.text())));

beforeAll(async () => {
  if (!stack.console) throw new Error('the e2e stack started without its console');
  consoleUrl = stack.console;
  // The launcher records the token it minted next to the console's URL.
  token = (JSON.parse(readFileSync(join(stack.stateDir, 'stack.json'), 'utf8')) as { consoleToken: string }).consoleToken;
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium package (.ci/run does) or set CHROMIUM_PATH`);
  mkdirSync(shots, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    // Flags for a closed network: no background fetches to Google.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: 1180, height: 760 } });
  watchCsp(context);
  [admin, phone, login, soc] = await Promise.all([context.newPage(), context.newPage(), context.newPage(), context.newPage()]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

/** As a person does: the address npm start printed, which carries the token. */
const open = (page: Page, view: string) => page.goto(`${consoleUrl}/?token=${token}#${view}`);

/** A request to the console as a script on this machine sends it (node:http lets a test set any Host). */
function rawRequest(path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolveAnswer, reject) => {
    const sent = httpRequest(new URL(path, consoleUrl), { method: options.method ?? 'GET', headers: options.headers ?? {} }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => void (body += chunk.toString()));
      response.on('end', () => resolveAnswer({ status: response.statusCode ?? 0, body }));
    });
    sent.on('error', reject);
    sent.end(options.body);
  });
}

describe('web console in Chromium', () => {
  // One user through every view, in order: each step builds on the one before.
  const user = `carol-${Date.now().toString(36)}`;
  const digitsOf = (shown: string | null) => (shown ?? '').replace(/\s/g, '');
  /** How each challenge the login simulator created (201) reached the phone, in order: push or quiet. */
  const deliveries: string[] = [];

  it('enrolls the browser authenticator from the admin\'s push enrollment', async () => {
    await open(soc, 'soc');
    await expect.poll(() => soc.textContent('#soc-live'), { timeout: 15_000 }).toBe('live');
    // The page kept the token and took it out of the address bar.
    expect(soc.url()).toBe(`${consoleUrl}/#soc`);
    expect(await soc.isHidden('#console-locked')).toBe(true);

    // Admin: a push enrollment with its QR code.
    await open(admin, 'admin');
    await admin.fill('#admin-user', user);
    await admin.click('#admin-push');
    await admin.waitForSelector('#admin-qr img');
    // The QR code is a data: image (allowed by img-src), decoded and drawn.
    expect(await admin.locator('#admin-qr img').evaluate((image) => (image as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
    const activationUri = (await admin.textContent('#admin-uri')) ?? '';
    expect(activationUri).toMatch(/^vigil:\/\/activate\?/);
    await admin.screenshot({ path: join(shots, 'admin.png') });

    // The browser authenticator activates with a key made in the page.
    await open(phone, 'authenticator');
    await phone.fill('#auth-uri', activationUri);
    await phone.click('#auth-activate');
    await phone.waitForSelector('#auth-device:not([hidden])');
    expect(await phone.textContent('#auth-user')).toContain(user);
  });

  it('keeps the admin\'s TOTP enrollment in the same authenticator, whose code (with a countdown) confirms it', async () => {
    await admin.click('#admin-totp');
    await expect.poll(() => admin.textContent('#admin-uri')).toMatch(/^otpauth:\/\/totp\//);
    const otpauthUri = (await admin.textContent('#admin-uri')) ?? '';

    await phone.fill('#totp-uri', otpauthUri);
    await phone.click('#totp-add');
    const account = phone.locator('#totp-accounts .totp-account', { hasText: user });
    await account.waitFor({ timeout: 5_000 });
    expect(await account.locator('.totp-name').textContent()).toContain(`Vigil (${user})`);
    // The URI carries the secret: it leaves the screen once kept.
    expect(await phone.inputValue('#totp-uri')).toBe('');
    const shown = (await account.locator('.totp-code').textContent()) ?? '';
    expect(shown).toMatch(/^\d{3} \d{3}$/);
    // The countdown runs: the seconds left (1-30) change from one second to the next.
    const secondsLeft = async () => Number(/^(\d+) s$/.exec((await account.locator('.totp-left').textContent()) ?? '')?.[1]);
    const first = await secondsLeft();
    expect(first).toBeGreaterThanOrEqual(1);
    expect(first).toBeLessThanOrEqual(30);
    await expect.poll(secondsLeft, { timeout: 5_000, interval: 250 }).not.toBe(first);

    // Typed into the admin view as shown, space and all (the input drops it): the service accepts it.
    await admin.locator('#totp-code').pressSequentially(shown);
    expect(await admin.inputValue('#totp-code')).toBe(digitsOf(shown));
    await admin.click('#totp-confirm button');
    await expect.poll(() => admin.textContent('#admin-status'), { timeout: 10_000 }).toBe('TOTP confirmed.');

    // The login simulator's code sign-in reaches /v1/totp/verify: the code that confirmed the enrollment is spent.
    await open(login, 'login');
    await login.fill('#login-user', user);
    await login.fill('#login-code', digitsOf(shown));
    await login.click('#login-totp');
    await expect.poll(() => login.textContent('#login-code-result'), { timeout: 10_000 }).toBe('refused (reused_code)');
  });

  it('approves a push from the login simulator by typing its six digits, shown grouped', async () => {
    await open(login, 'login');
    login.on('response', (response) => {
      if (response.request().method() !== 'POST' || !response.url().endsWith('/api/login/challenges') || response.status() !== 201) return;
      void response.json().then((body: { delivery: string }) => deliveries.push(body.delivery));
    });
    await login.fill('#login-user', user);
    let number = '';
    await expect.poll(async () => {
      await login.click('#login-push');
      await login.waitForTimeout(500);
      number = (await login.isVisible('#login-card')) ? ((await login.textContent('#login-number')) ?? '') : '';
      return number;
    }, { timeout: 20_000, interval: 1_000 }).toMatch(/^\d{3} \d{3}$/);
    expect(await login.textContent('#login-delivery')).toBe('push: sent to the phone');
    await login.screenshot({ path: join(shots, 'login.png') });
    const card = phone.locator('#auth-pending .card').first();
    await card.waitFor({ timeout: 20_000 });
    const input = card.locator('.number-input');
    expect(await input.getAttribute('inputmode')).toBe('numeric');
    expect(await input.getAttribute('autocomplete')).toBe('one-time-code');
    expect(await input.getAttribute('maxlength')).toBe('6');
    await input.pressSequentially(number);
    expect(await input.inputValue()).toBe(digitsOf(number));
    await card.locator('.approve').click();
    await expect.poll(() => login.textContent('#login-result'), { timeout: 20_000 }).toBe('approved');
  });

  it('past the push budget, creates pushes quietly: the login simulator says so, the authenticator warns, the SOC view alerts', async () => {
    // Push bombing: three pushes a minute wake the phone; the later ones are created without a push.
    for (let i = 0; i < 5; i += 1) {
      await login.click('#login-push');
      await login.waitForTimeout(300);
    }
    await expect.poll(() => login.textContent('#login-delivery'), { timeout: 10_000 }).toContain('quiet: not pushed to the phone');
    expect(await login.textContent('#login-status')).toBe('');
    // Within the minute, the sign-in approved above and the bombing's: three pushed, then quiet only (none refused).
    await expect.poll(() => deliveries.length).toBeGreaterThanOrEqual(6);
    expect(deliveries).toEqual(['push', 'push', 'push', ...Array<string>(deliveries.length - 3).fill('quiet')]);

    // Opened again, the authenticator lists what is pending, newest first, and warns on the quiet ones.
    await open(phone, 'authenticator');
    const quiet = phone.locator('#auth-pending .card[data-delivery="quiet"]');
    await quiet.first().waitFor({ timeout: 10_000 });
    expect(await quiet.first().locator('.notice').textContent()).toBe(
      'You were not notified of this sign-in because of unusual activity on your account. Approve it only if you are signing in right now.');
    expect(await phone.locator('#auth-pending .card').first().getAttribute('data-delivery')).toBe('quiet');
    const created = await phone.locator('#auth-pending .card').evaluateAll((cards) => cards.map((card) => (card as unknown as { dataset: Record<string, string> }).dataset['createdAt'] ?? ''));
    expect(created.length).toBeGreaterThanOrEqual(5);
    expect(created).toEqual([...created].sort().reverse());
    // The newest is the login simulator's last sign-in: its number typed in, shown with the warning and the codes.
    await quiet.first().locator('.number-input').pressSequentially((await login.textContent('#login-number')) ?? '');
    await phone.screenshot({ path: join(shots, 'authenticator.png'), fullPage: true });

    // Created quietly or not, each counts toward push_burst: the SOC view shows the alert as it arrives.
    const row = soc.locator(`#soc-rows tr[data-rule="push_burst"]`, { hasText: user });
    await row.waitFor({ timeout: 30_000 });
    expect(await row.textContent()).toContain('high');
    await soc.screenshot({ path: join(shots, 'soc.png') });
    // Every view worked under the CSP (no inline script or style was needed).
    expect(cspViolations).toEqual([]);
  });
});

describe('web console against hostile input and other origins', () => {
  const HOSTILE = '<img src=x onerror="window.__pwned=1">';
  const user = `mallory-${Date.now().toString(36)}`;
  const loginSystem = () => new LoginSystem({ challengeUrl: stack.services['challenge'] as string, verificationUrl: stack.services['verification'] as string, apiKey: 'dev-auth-key' });
  let context: BrowserContext;
  let authenticator: Page;

  /** A push started by the tenant's login system with its own auth key (the console is not involved). */
  async function pushWith(challengeContext: Record<string, unknown>): Promise<void> {
    // Right after activation the push gate may not know the device yet: retry until it does.
    await expect.poll(async () => (await loginSystem().startPush(user, challengeContext)).status, { timeout: 20_000, interval: 1_000 }).toBe(201);
  }

  beforeAll(async () => {
    context = await browser.newContext({ viewport: { width: 1180, height: 760 } });
    watchCsp(context);
    authenticator = await context.newPage();
    const enrollment = await fetch(`${consoleUrl}/api/admin/users/${user}/push-enrollments`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-vigil-console-token': token }, body: '{}' });
    expect(enrollment.status).toBe(201);
    await open(authenticator, 'authenticator');
    await authenticator.fill('#auth-uri', ((await enrollment.json()) as { activationUri: string }).activationUri);
    await authenticator.click('#auth-activate');
    await authenticator.waitForSelector('#auth-device:not([hidden])');
  }, 60_000);

  afterAll(async () => {
    await context?.close();
  });

  it('shows markup in a challenge\'s context as text, and runs none of it', async () => {
    cspViolations.length = 0;
    await pushWith({ ip: '198.51.100.61', application: HOSTILE, location: { city: HOSTILE, country: 'NL' } });
    const card = authenticator.locator('#auth-pending .card').first();
    await card.waitFor({ timeout: 20_000 });
    expect(await card.locator('.context').first().textContent()).toBe(`${HOSTILE} · 198.51.100.61 · ${HOSTILE} · NL`);
    expect(await authenticator.locator('#auth-pending img').count()).toBe(0);
    // An <img src=x> that had been parsed would have failed to load and fired its handler by now.
    await authenticator.waitForTimeout(1_000);
    expect(await authenticator.evaluate('window.__pwned')).toBeUndefined();
    expect(cspViolations).toEqual([]);
  });

  it('refuses a cross-site form POST (text/plain, no token) and creates no challenge', async () => {
    // The classic JSON-over-text/plain forgery: name and value join with "=" into a body the challenge API accepts.
    const forged = `<!doctype html><form method="post" enctype="text/plain" action="${consoleUrl}/api/login/challenges">`
      + `<input name='{"userId":"${user}","context":{"ip":"198.51.100.62","application":"csrf' value='"}}'></form>`
      + '<script>document.forms[0].submit()</script>';
    const attacker = createServer((_request, response) => void response.writeHead(200, { 'content-type': 'text/html' }).end(forged));
    await new Promise<void>((listening) => attacker.listen(0, '127.0.0.1', listening));
    onTestFinished(() => new Promise<void>((closed) => attacker.close(() => closed())));
    const attackerOrigin = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;

    const page = await context.newPage();
    const answered = page.waitForResponse((response) => response.url() === `${consoleUrl}/api/login/challenges`, { timeout: 15_000 });
    await page.goto(attackerOrigin);
    const answer = await answered;
    expect(await answer.request().headerValue('origin')).toBe(attackerOrigin);
    expect(await answer.request().headerValue('content-type')).toBe('text/plain');
    expect(answer.status()).toBe(403);
    expect(await answer.json()).toMatchObject({ code: 'origin_not_allowed' });
    await page.close();

    // A push started afterwards reaches the authenticator; a forged one, had it been created, would have come first.
    await pushWith({ ip: '198.51.100.63', application: 'after-the-forgery' });
    await authenticator.locator('#auth-pending .card', { hasText: 'after-the-forgery' }).waitFor({ timeout: 20_000 });
    expect(await authenticator.locator('#auth-pending .card', { hasText: 'csrf=' }).count()).toBe(0);
  });

  it('answers 401 without the token and 403 to a foreign Host, and serves the page itself without a token', async () => {
    const json = { 'content-type': 'application/json' };
    const challenge = JSON.stringify({ userId: user, context: { ip: '198.51.100.64', application: 'no-token' } });
    expect((await rawRequest('/api/alerts?limit=1')).status).toBe(401);
    expect((await rawRequest('/api/alerts?limit=1', { headers: { 'x-vigil-console-token': `${token}-wrong` } })).status).toBe(401);
    expect((await rawRequest('/api/login/challenges', { method: 'POST', headers: json, body: challenge })).status).toBe(401);
    expect((await rawRequest('/device/verification/v1/device/challenges/pending')).status).toBe(401);
    expect((await rawRequest('/api/alerts/stream')).status).toBe(401);
    expect((await rawRequest('/api/alerts?limit=1', { headers: { 'x-vigil-console-token': token } })).status).toBe(200);

    // DNS rebinding: a hostile name that resolves to 127.0.0.1 reaches the same socket with its own Host.
    const port = new URL(consoleUrl).port;
    for (const host of [`rebind.attacker.example:${port}`, 'rebind.attacker.example']) {
      expect((await rawRequest('/api/alerts?limit=1', { headers: { host, 'x-vigil-console-token': token } })).status).toBe(403);
      expect((await rawRequest('/', { headers: { host } })).status).toBe(403);
    }
    const page = await rawRequest('/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Vigil console</title>');

    // A tab opened without the printed address (no token in it or in its sessionStorage) says what to do.
    const bare = await context.newPage();
    await bare.goto(`${consoleUrl}/#soc`);
    await bare.waitForSelector('#console-locked:not([hidden])');
    expect(await bare.textContent('#console-locked')).toContain('?token=');
    await bare.close();
  });
});
