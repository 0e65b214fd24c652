/** `vigil://activate?code=<activationCode>&api=<url-encoded enrollment base URL>` (CONTRACT §4). */
export function parseActivationUri(uri: string): { activationCode: string; api: string } {
  const url = new URL(uri);
  const activationCode = url.searchParams.get('code');
  const api = url.searchParams.get('api');
  if (url.protocol !== 'vigil:' || url.hostname !== 'activate' || !activationCode || !api) {
    throw new Error('not a Vigil activation URI');
  }
  checkApiUrl(api);
  return { activationCode, api };
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The enrollment API must be HTTPS: over plain HTTP, anyone on the path could take the activation code and enroll their
 * own key in the user's name. Plain HTTP is accepted only to this machine (a developer's `npm start`).
 */
function checkApiUrl(api: string): void {
  let url: URL;
  try {
    url = new URL(api);
  } catch {
    throw new Error('the activation URI names no valid enrollment API');
  }
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && (LOOPBACK.has(url.hostname) || url.hostname.startsWith('127.'))) return;
  throw new Error(`the enrollment API must be https:// (got ${url.protocol}//${url.hostname}); plain http is accepted only to loopback`);
}
