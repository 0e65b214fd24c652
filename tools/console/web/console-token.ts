// The console's token (tools/console/request-guard.ts): it arrives once in the address npm start printed
// (`/?token=...`), is kept for this tab only, and leaves the address bar at once (history, bookmarks, screen shares).
const KEY = 'vigil-console-token';
export const TOKEN_HEADER = 'x-vigil-console-token';

export function takeConsoleToken(): string | null {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(KEY, fromUrl);
    url.searchParams.delete('token');
    history.replaceState(history.state, '', `${url.pathname}${url.search}${url.hash}`);
  }
  return sessionStorage.getItem(KEY);
}
