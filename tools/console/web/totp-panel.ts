// The browser authenticator's "Verification codes": TOTP accounts added from an otpauth:// URI, kept in IndexedDB
// next to the push key, each showing its current code and the seconds it has left, refreshed every second.
import { OtpauthUriError, currentTotp, groupDigits, parseOtpauthUri, totpAccountLabel, type TotpAccount } from '@vigil/device-sdk';
import { loadTotpAccounts, saveTotpAccounts } from './device-store.ts';
import { element } from './element.ts';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const keyOf = (account: TotpAccount) => `${account.issuer}\n${account.account}`;

interface Shown {
  code: HTMLElement;
  left: HTMLElement;
  bar: HTMLElement;
}

let accounts: TotpAccount[] = [];
const shown = new Map<string, Shown>();

function accountItem(account: TotpAccount): HTMLElement {
  const remove = element('button', { className: 'link', title: `Remove ${totpAccountLabel(account)} from this browser` }, 'remove');
  remove.addEventListener('click', () => void keep(accounts.filter((kept) => keyOf(kept) !== keyOf(account))));
  const item: Shown = { code: element('div', { className: 'totp-code' }), left: element('span', { className: 'totp-left' }), bar: element('span') };
  shown.set(keyOf(account), item);
  return element('li', { className: 'totp-account', data: { account: account.account, issuer: account.issuer } },
    element('div', { className: 'totp-name' }, totpAccountLabel(account), ' ', remove),
    item.code,
    element('div', { className: 'totp-timer' }, element('span', { className: 'totp-bar' }, item.bar), item.left));
}

function render(): void {
  shown.clear();
  $('totp-accounts').replaceChildren(...accounts.map(accountItem));
  $('totp-empty').hidden = accounts.length > 0;
  tick();
}

/** Text and CSSOM only (the CSP allows no inline style): the code, "n s", and the bar that empties with them. */
function tick(): void {
  const now = new Date();
  for (const account of accounts) {
    const item = shown.get(keyOf(account));
    if (!item) continue;
    const { code, secondsLeft } = currentTotp(account, now);
    item.code.textContent = groupDigits(code);
    item.left.textContent = `${secondsLeft} s`;
    item.bar.style.width = `${(secondsLeft / account.period) * 100}%`;
    item.code.classList.toggle('ending', secondsLeft <= 5);
  }
}

async function keep(next: TotpAccount[]): Promise<void> {
  await saveTotpAccounts(next);
  accounts = next;
  render();
}

async function add(): Promise<void> {
  const input = $<HTMLInputElement>('totp-uri');
  const status = $('totp-status');
  try {
    const added = parseOtpauthUri(input.value);
    // Re-adding an account replaces it, as re-scanning its QR code does in a phone app.
    await keep([...accounts.filter((kept) => keyOf(kept) !== keyOf(added)), added]);
    status.textContent = `Added ${totpAccountLabel(added)}.`;
    // The URI holds the secret: it does not stay on screen.
    input.value = '';
  } catch (error) {
    status.textContent = error instanceof OtpauthUriError ? `Not added: ${error.message}.` : `Not added: ${(error as Error).message}`;
  }
}

export async function startTotpPanel(): Promise<void> {
  $('totp-add').addEventListener('click', () => void add());
  $('totp-uri').addEventListener('keydown', (event) => void (event.key === 'Enter' && add()));
  accounts = await loadTotpAccounts();
  render();
  // On each second's edge, so that a new code shows when its step begins, not up to a second late.
  const schedule = () => setTimeout(() => {
    tick();
    schedule();
  }, 1_000 - (Date.now() % 1_000) + 10);
  schedule();
}
