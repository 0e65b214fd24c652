// The login simulator: what a tenant's login system does, a sign-in by push (create a challenge, show its number,
// follow its result) or by a TOTP code.
import { groupDigits } from '@vigil/device-sdk';
import { api, problem, type Answer } from './console-api.ts';
import { digitsInput, digitsOf } from './digits-input.ts';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const text = (id: string, value: string) => void ($(id).textContent = value);

// Each sign-in follows its own challenge. A new one stops following the older one (which stays pending at the
// service): its result must not write over the newer one's, and its long poll must not hold one of the browser's six
// connections to the console, which a quick series of sign-ins (push bombing) would otherwise exhaust.
let following = new AbortController();
const DELIVERY_LINES: Record<string, string> = {
  push: 'push: sent to the phone',
  quiet: 'quiet: not pushed to the phone (unusual activity); the authenticator lists it, with a warning, when opened',
};

async function signIn(): Promise<void> {
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
  await followResult(answer.body.challengeId, mine.signal);
}

/** Long-polls the challenge until it is decided (or this sign-in is no longer the one followed). */
async function followResult(challengeId: string, signal: AbortSignal): Promise<void> {
  for (;;) {
    let result: Answer<{ status: string; reason: string | null }>;
    try {
      result = await api('GET', `/api/login/challenges/${challengeId}?waitSeconds=25`, undefined, signal);
    } catch (error) {
      if (!signal.aborted) text('login-result', `unreachable: ${(error as Error).message}`);
      return;
    }
    if (signal.aborted) return;
    if (result.status !== 200) return text('login-result', problem(result));
    if (result.body.status !== 'pending') return text('login-result', result.body.reason ? `${result.body.status} (${result.body.reason})` : result.body.status);
  }
}

async function signInWithCode(codeInput: HTMLInputElement): Promise<void> {
  const typed = digitsOf(codeInput, 6);
  if ('problem' in typed) return text('login-code-result', typed.problem);
  const answer = await api<{ valid: boolean; reason: string | null }>('POST', '/api/login/totp', { userId: $<HTMLInputElement>('login-user').value.trim(), code: typed.value });
  if (answer.status !== 200) return text('login-code-result', problem(answer));
  text('login-code-result', answer.body.valid ? 'accepted' : `refused (${answer.body.reason ?? 'invalid_code'})`);
}

export function startLoginSimulatorView(): void {
  $('login-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void signIn();
  });
  const loginCode = digitsInput($<HTMLInputElement>('login-code'), 6);
  $('login-totp-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void signInWithCode(loginCode);
  });
}
