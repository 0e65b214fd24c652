/** A minimal login system: what an IdP would do with Vigil's challenge and TOTP APIs. */
export class LoginSystem {
  readonly #challengeUrl: string;
  readonly #verificationUrl: string;
  readonly #apiKey: string;

  constructor(options: { challengeUrl: string; verificationUrl: string; apiKey: string }) {
    this.#challengeUrl = options.challengeUrl;
    this.#verificationUrl = options.verificationUrl;
    this.#apiKey = options.apiKey;
  }

  async #call(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.#apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : null) as Record<string, unknown> };
  }

  startPush(userId: string, context: Record<string, unknown> = { ip: '198.51.100.20', application: 'vpn' }) {
    return this.#call(this.#challengeUrl, 'POST', '/v1/challenges', { userId, context });
  }

  result(challengeId: string, waitSeconds = 0) {
    return this.#call(this.#challengeUrl, 'GET', `/v1/challenges/${challengeId}?waitSeconds=${waitSeconds}`);
  }

  cancel(challengeId: string) {
    return this.#call(this.#challengeUrl, 'DELETE', `/v1/challenges/${challengeId}`);
  }

  verifyTotp(userId: string, code: string) {
    return this.#call(this.#verificationUrl, 'POST', '/v1/totp/verify', { userId, code });
  }
}
