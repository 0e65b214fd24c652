import { createLoginClient, type LoginClient, type LoginResult } from '@vigil/login-client';

/** What the e2e files look at in an answer: its status (as the HTTP contract states it), body and Retry-After. */
export interface LoginAnswer {
  status: number;
  body: Record<string, unknown>;
  retryAfterSeconds: number | null;
}

function answerOf<T>(result: LoginResult<T>, okStatus: (value: T) => number): LoginAnswer {
  if (!result.ok) return { status: result.problem.status, body: { ...result.problem }, retryAfterSeconds: result.problem.retryAfterSeconds };
  return { status: okStatus(result.value), body: (result.value ?? {}) as Record<string, unknown>, retryAfterSeconds: null };
}

/** A minimal login system: what an IdP does with Vigil's challenge and TOTP APIs, through the login client. */
export class LoginSystem {
  readonly #client: LoginClient;

  constructor(options: { challengeUrl: string; verificationUrl: string; apiKey: string }) {
    this.#client = createLoginClient(options);
  }

  async startPush(userId: string, context: Record<string, unknown> = { ip: '198.51.100.20', application: 'vpn' }): Promise<LoginAnswer> {
    return answerOf(await this.#client.createChallenge({ userId, context }), (created) => (created.repeated ? 200 : 201));
  }

  async result(challengeId: string, waitSeconds = 0): Promise<LoginAnswer> {
    return answerOf(await this.#client.getChallenge(challengeId, { waitSeconds }), () => 200);
  }

  async cancel(challengeId: string): Promise<LoginAnswer> {
    return answerOf(await this.#client.cancel(challengeId), () => 204);
  }

  async verifyTotp(userId: string, code: string): Promise<LoginAnswer> {
    return answerOf(await this.#client.verifyTotp({ userId, code }), () => 200);
  }
}
