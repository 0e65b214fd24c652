/** `vigil://activate?code=<activationCode>&api=<url-encoded enrollment base URL>` (CONTRACT §4). */
export function parseActivationUri(uri: string): { activationCode: string; api: string } {
  const url = new URL(uri);
  const activationCode = url.searchParams.get('code');
  const api = url.searchParams.get('api');
  if (url.protocol !== 'vigil:' || url.hostname !== 'activate' || !activationCode || !api) {
    throw new Error('not a Vigil activation URI');
  }
  return { activationCode, api };
}
