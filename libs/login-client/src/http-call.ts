import { request, type Dispatcher } from 'undici';
import type { LoginProblem, LoginResult } from './login-result.ts';

export interface Call {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  apiKey: string;
  body?: unknown;
  headers?: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
  dispatcher?: Dispatcher;
}

function retryAfterOf(header: string | string[] | undefined): number | null {
  const value = Number(Array.isArray(header) ? header[0] : header);
  return Number.isFinite(value) && value >= 0 ? value : null;
}

function problemOf(status: number, body: unknown, retryAfterSeconds: number | null): LoginProblem {
  const problem = (typeof body === 'object' && body !== null ? body : {}) as { code?: unknown; detail?: unknown };
  return {
    status,
    code: typeof problem.code === 'string' ? problem.code : `http_${status}`,
    detail: typeof problem.detail === 'string' ? problem.detail : `answered ${status}`,
    retryAfterSeconds,
  };
}

export interface Answer<T> {
  status: number;
  /** The JSON body; null for 204. */
  body: T;
}

/** One request with the tenant's API key; a 2xx answer is the value, anything else a problem. */
export async function call<T>(options: Call): Promise<LoginResult<Answer<T>>> {
  const hasBody = options.body !== undefined;
  try {
    const response = await request(options.url, {
      method: options.method,
      headers: { authorization: `Bearer ${options.apiKey}`, ...(hasBody ? { 'content-type': 'application/json' } : {}), ...options.headers },
      ...(hasBody ? { body: JSON.stringify(options.body) } : {}),
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    });
    const text = await response.body.text();
    const body: unknown = text ? JSON.parse(text) : null;
    if (response.statusCode >= 200 && response.statusCode < 300) {
      return { ok: true, value: { status: response.statusCode, body: body as T } };
    }
    return { ok: false, problem: problemOf(response.statusCode, body, retryAfterOf(response.headers['retry-after'])) };
  } catch (error) {
    return { ok: false, problem: { status: 0, code: 'unreachable', detail: (error as Error).message, retryAfterSeconds: null } };
  }
}
