import type { Dispatcher } from 'undici';
import type { ChallengeBody, ChallengeCreatedBody, CreateChallengeBody, PolicyBody, PolicyChangeBody, TotpVerdictBody, VerifyTotpBody } from '@vigil/api';
import { call, type Call } from './http-call.ts';
import type { LoginResult } from './login-result.ts';
import { waitForDecision } from './wait-for-decision.ts';

export interface LoginClientOptions {
  /** The challenge service's base URL (CONTRACT §5). */
  challengeUrl: string;
  /** The verification service's base URL (TOTP, CONTRACT §6). */
  verificationUrl: string;
  /** An API key of scope `auth`. */
  apiKey: string;
  /** An API key of scope `admin`, for the tenant policy (CONTRACT §5a); without it those calls use `apiKey`. */
  adminApiKey?: string;
  /** How long a request may take before it counts as unreachable (a long poll adds its wait). Default 10 s. */
  timeoutMs?: number;
  /** undici's connection pool, e.g. an Agent with keep-alive settings or a proxy. */
  dispatcher?: Dispatcher;
}

export type NewChallenge = CreateChallengeBody & {
  /** Repeats with the same key answer the first challenge (no second push) while it is pending. */
  idempotencyKey?: string;
};

export type CreatedChallenge = ChallengeCreatedBody & { repeated: boolean };

export interface LoginClient {
  createChallenge(challenge: NewChallenge): Promise<LoginResult<CreatedChallenge>>;
  getChallenge(challengeId: string, options?: { waitSeconds?: number; signal?: AbortSignal }): Promise<LoginResult<ChallengeBody>>;
  /**
   * Long polls until the challenge leaves `pending` or `timeoutMs` passes (then the pending state is the value).
   * Outages (503, no answer) are waited out until the deadline; any other refusal ends the wait.
   */
  waitForDecision(challengeId: string, options: { timeoutMs: number; signal?: AbortSignal }): Promise<LoginResult<ChallengeBody>>;
  cancel(challengeId: string): Promise<LoginResult<null>>;
  verifyTotp(input: VerifyTotpBody): Promise<LoginResult<TotpVerdictBody>>;
  policy(): Promise<LoginResult<PolicyBody>>;
  changePolicy(change: PolicyChangeBody): Promise<LoginResult<PolicyBody>>;
}

/** A typed client for login systems (CONTRACT §5, §5a, §6) on undici. */
export function createLoginClient(options: LoginClientOptions): LoginClient {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const base = { apiKey: options.apiKey, timeoutMs, ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}) };
  const challenge = (path: string) => `${options.challengeUrl}${path}`;
  const send = <T>(request: Omit<Call, 'apiKey' | 'timeoutMs'> & Partial<Pick<Call, 'apiKey' | 'timeoutMs'>>) => call<T>({ ...base, ...request });
  const body = async <T>(result: Promise<LoginResult<{ body: T }>>): Promise<LoginResult<T>> => {
    const answer = await result;
    return answer.ok ? { ok: true, value: answer.value.body } : answer;
  };

  const client: LoginClient = {
    async createChallenge({ idempotencyKey, ...created }) {
      const answer = await send<ChallengeCreatedBody>({
        method: 'POST', url: challenge('/v1/challenges'), body: created, ...(idempotencyKey ? { headers: { 'idempotency-key': idempotencyKey } } : {}),
      });
      return answer.ok ? { ok: true, value: { ...answer.value.body, repeated: answer.value.status === 200 } } : answer;
    },
    getChallenge(challengeId, { waitSeconds = 0, signal } = {}) {
      return body(send<ChallengeBody>({
        method: 'GET', url: challenge(`/v1/challenges/${encodeURIComponent(challengeId)}?waitSeconds=${waitSeconds}`),
        timeoutMs: timeoutMs + waitSeconds * 1000, ...(signal ? { signal } : {}),
      }));
    },
    waitForDecision: (challengeId, wait) => waitForDecision(client, challengeId, wait),
    async cancel(challengeId) {
      return body(send<null>({ method: 'DELETE', url: challenge(`/v1/challenges/${encodeURIComponent(challengeId)}`) }));
    },
    verifyTotp(input) {
      return body(send<TotpVerdictBody>({ method: 'POST', url: `${options.verificationUrl}/v1/totp/verify`, body: input }));
    },
    policy() {
      return body(send<PolicyBody>({ method: 'GET', url: challenge('/v1/policy'), apiKey: options.adminApiKey ?? options.apiKey }));
    },
    changePolicy(change) {
      return body(send<PolicyBody>({ method: 'PUT', url: challenge('/v1/policy'), body: change, apiKey: options.adminApiKey ?? options.apiKey }));
    },
  };
  return client;
}
