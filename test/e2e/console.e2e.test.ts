import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

// The web console in real Chromium (Debian's package, driven by playwright-core): enroll the browser authenticator,
// approve a push shown by the login simulator, push-bomb and watch the alert arrive in the SOC view. Each page is
// saved as a screenshot: under .tmp/console by default, under docs/console (the README's) with `npm run screenshots`.

const stack = inject('stack') as { console: string | null };
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const shots = resolve(import.meta.dirname, '../..', process.env['CONSOLE_SCREENSHOTS_DIR'] ?? '.tmp/console');
let browser: Browser;
let admin: Page;
let phone: Page;
let login: Page;
let soc: Page;

beforeAll(async () => {
  if (!stack.console) throw new Error('the e2e stack started without its console');
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium package (.ci/run does) or set CHROMIUM_PATH`);
  mkdirSync(shots, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    // Flags for a closed network: no background fetches to Google.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: 1180, height: 760 } });
  [admin, phone, login, soc] = await Promise.all([context.newPage(), context.newPage(), context.newPage(), context.newPage()]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

const open = (page: Page, view: string) => page.goto(`${stack.console}/#${view}`);

describe('web console in Chromium', () => {
  it('enrolls the browser authenticator, approves a push from the login simulator, and shows the push-bombing alert', async () => {
    const user = `carol-${Date.now().toString(36)}`;
    await open(soc, 'soc');
    await expect.poll(() => soc.textContent('#soc-live'), { timeout: 15_000 }).toBe('live');

    // Admin: a push enrollment with its QR code.
    await open(admin, 'admin');
    await admin.fill('#admin-user', user);
    await admin.click('#admin-push');
    await admin.waitForSelector('#admin-qr svg');
    const activationUri = (await admin.textContent('#admin-uri')) ?? '';
    expect(activationUri).toMatch(/^vigil:\/\/activate\?/);
    await admin.screenshot({ path: join(shots, 'admin.png') });

    // The browser authenticator activates with a key made in the page.
    await open(phone, 'authenticator');
    await phone.fill('#auth-uri', activationUri);
    await phone.click('#auth-activate');
    await phone.waitForSelector('#auth-device:not([hidden])');
    expect(await phone.textContent('#auth-user')).toContain(user);

    // The login simulator pushes; the authenticator shows it; the user types the number and approves.
    await open(login, 'login');
    await login.fill('#login-user', user);
    let number = '';
    await expect.poll(async () => {
      await login.click('#login-push');
      await login.waitForTimeout(500);
      number = (await login.isVisible('#login-card')) ? ((await login.textContent('#login-number')) ?? '') : '';
      return number;
    }, { timeout: 20_000, interval: 1_000 }).toMatch(/^\d{2}$/);
    await login.screenshot({ path: join(shots, 'login.png') });
    const card = phone.locator('#auth-pending .card').first();
    await card.waitFor({ timeout: 20_000 });
    await card.locator('.number-input').fill(number);
    await phone.screenshot({ path: join(shots, 'authenticator.png') });
    await card.locator('.approve').click();
    await expect.poll(() => login.textContent('#login-result'), { timeout: 20_000 }).toBe('approved');

    // Push bombing: the limit answers 429 and the SOC view shows the push_burst alert as it arrives.
    for (let i = 0; i < 5; i += 1) {
      await login.click('#login-push');
      await login.waitForTimeout(300);
    }
    await expect.poll(() => login.textContent('#login-status'), { timeout: 10_000 }).toContain('429');
    const row = soc.locator(`#soc-rows tr[data-rule="push_burst"]`, { hasText: user });
    await row.waitFor({ timeout: 30_000 });
    expect(await row.textContent()).toContain('high');
    await soc.screenshot({ path: join(shots, 'soc.png') });
  }, 120_000);
});
