import type { ServerResponse } from 'node:http';
import { createPublicKey, generateKeyPairSync, verify, type KeyObject } from 'node:crypto';

/** The fields of a Google service account JSON key that firebase-admin reads. */
export interface ServiceAccountKey {
  project_id: string;
  client_email: string;
  private_key: string;
}

/** A throwaway service account: its JSON key for the client, its public key for checking token requests. */
export interface FakeServiceAccount {
  json: ServiceAccountKey;
  publicKey: KeyObject;
}

export function createFakeServiceAccount(): FakeServiceAccount {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const json = {
    type: 'service_account',
    project_id: 'vigil-fake-project',
    client_email: 'vigil-push@vigil-fake-project.iam.gserviceaccount.com',
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    token_uri: 'https://oauth2.googleapis.com/token',
  };
  return { json, publicKey: createPublicKey(publicKey.export({ type: 'spki', format: 'pem' })) };
}

function jwtSignedBy(assertion: string, key: KeyObject, issuer: string): boolean {
  const [header, payload, signature] = assertion.split('.');
  if (!header || !payload || !signature) return false;
  const valid = verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url'));
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { iss?: string; exp?: number };
  return valid && claims.iss === issuer && (claims.exp ?? 0) * 1000 > Date.now();
}

export interface TokenEndpoint {
  /** Access tokens issued so far. */
  readonly issued: number;
  /** Answers a `POST /token` whose form body is `body`; `account` is the one an assertion must be signed by. */
  answer(body: string, response: ServerResponse, account: FakeServiceAccount | null): void;
}

/** The OAuth token endpoint: a numbered access token per request, valid for an hour. */
export function oauthTokenEndpoint(): TokenEndpoint {
  let issued = 0;
  return {
    get issued() {
      return issued;
    },
    answer(body, response, account) {
      // A real token request carries a JWT signed with the service account's key: check it like Google would.
      const assertion = new URLSearchParams(body).get('assertion');
      if (assertion !== null && !(account && jwtSignedBy(assertion, account.publicKey, account.json.client_email))) {
        response.writeHead(400, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: 'invalid_grant', error_description: 'Invalid JWT Signature.' }));
        return;
      }
      issued += 1;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ access_token: `fake-access-token-${issued}`, expires_in: 3600, token_type: 'Bearer' }));
    },
  };
}

/** A firebase-admin Credential that takes its access token from the token endpoint of the fake on `port`. */
export function fakeTokenCredential(port: number): { getAccessToken(): Promise<{ access_token: string; expires_in: number }> } {
  return {
    async getAccessToken() {
      const response = await fetch(`http://127.0.0.1:${port}/token`, { method: 'POST', body: 'grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer' });
      return (await response.json()) as { access_token: string; expires_in: number };
    },
  };
}
