// The page's calls to the console server's same-origin gateway (tools/console/api-routes.ts), each carrying the
// console's token; a refusal for want of it shows the banner that says where the token comes from.
import { TOKEN_HEADER, takeConsoleToken } from './console-token.ts';

export interface Answer<T> {
  status: number;
  body: T;
}

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

export const token = takeConsoleToken();
export const tokenHeader: Record<string, string> = token ? { [TOKEN_HEADER]: token } : {};

export async function answerOf<T>(response: Response): Promise<Answer<T>> {
  const raw = await response.text();
  const body = (raw ? JSON.parse(raw) : {}) as T;
  if (response.status === 401 && (body as { code?: string }).code === 'console_token_required') $('console-locked').hidden = false;
  return { status: response.status, body };
}

export async function api<T = Record<string, unknown>>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Answer<T>> {
  const headers = body === undefined ? tokenHeader : { ...tokenHeader, 'content-type': 'application/json' };
  return answerOf<T>(await fetch(path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }), ...(signal ? { signal } : {}) }));
}

/** A refusal as one line: status, code and detail. */
export const problem = (answer: Answer<unknown>) => {
  const detail = answer.body as { code?: string; detail?: string };
  return `${answer.status} ${detail.code ?? ''}${detail.detail ? `: ${detail.detail}` : ''}`;
};
