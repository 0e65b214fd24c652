import type { ChallengeBody } from '@vigil/api';
import type { LoginClient } from './login-client.ts';
import { isTransient, type LoginResult } from './login-result.ts';

const MAX_WAIT_SECONDS = 30;
// Between two polls at least this long: after an outage, and after a poll answered sooner than asked (a proxy that
// does not hold requests), so that a wait never becomes a burst of requests.
const MIN_POLL_INTERVAL_MS = 1_000;

const sleep = (ms: number, signal?: AbortSignal) => new Promise<void>((resolve) => {
  const timer = setTimeout(resolve, ms);
  signal?.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
});

/**
 * Long polls (at most 30 s each) until the challenge leaves `pending` or the deadline passes; outages (503, no
 * answer) are waited out until then, any other refusal ends the wait.
 */
export async function waitForDecision(client: Pick<LoginClient, 'getChallenge'>, challengeId: string, options: { timeoutMs: number; signal?: AbortSignal }): Promise<LoginResult<ChallengeBody>> {
  const { signal } = options;
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    // Whole seconds, rounded up: a wait never ends in a burst of zero-second polls before the deadline.
    const waitSeconds = Math.max(0, Math.min(MAX_WAIT_SECONDS, Math.ceil((deadline - Date.now()) / 1000)));
    const polled = Date.now();
    const state = await client.getChallenge(challengeId, { waitSeconds, ...(signal ? { signal } : {}) });
    const over = Date.now() >= deadline || signal?.aborted === true;
    if (state.ok && (state.value.status !== 'pending' || over)) return state;
    if (!state.ok && (!isTransient(state.problem) || over)) return state;
    await sleep(Math.max(0, Math.min(MIN_POLL_INTERVAL_MS - (Date.now() - polled), deadline - Date.now())), signal);
  }
}
