import { clearSession, loadSession, redirectToLogin } from './session.js';
import type { ErrorDetail } from './types.js';

/** An API answer that was not 2xx, carrying the stable error code the pages switch on. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly retryAfter: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** Send the body as-is with this content type (CSV import). */
  rawBody?: { contentType: string; text: string };
  /** A bearer token other than the session's (the TV wall's display token). */
  token?: string | null;
  /** When false, a 401 is thrown to the caller instead of redirecting to /login. */
  redirectOn401?: boolean;
  idempotencyKey?: string;
  signal?: AbortSignal;
}

export const API_BASE = '/api/v1';

/** A random key for Idempotency-Key; crypto.randomUUID needs a secure context, this does not. */
export function randomKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Builds "?a=1&b=2" from the defined, non-empty entries. */
export function query(params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

async function errorOf(res: Response): Promise<ApiError> {
  const retry = Number(res.headers.get('Retry-After'));
  const retryAfter = Number.isFinite(retry) && retry > 0 ? retry : null;
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string; details?: ErrorDetail[] } };
    const e = body.error ?? {};
    return new ApiError(res.status, e.code ?? `http_${res.status}`, e.message ?? res.statusText, e.details ?? [], retryAfter);
  } catch {
    return new ApiError(res.status, `http_${res.status}`, res.statusText || 'The server answered with an error.', [], retryAfter);
  }
}

/** The raw fetch with auth and error mapping; callers read the body themselves (CSV). */
export async function apiFetch(path: string, opts: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = opts.token !== undefined ? opts.token : (loadSession()?.token ?? null);
  if (token) headers.authorization = `Bearer ${token}`;
  if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
  let body: string | undefined;
  if (opts.rawBody) {
    headers['content-type'] = opts.rawBody.contentType;
    body = opts.rawBody.text;
  } else if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(API_BASE + path, { method: opts.method ?? 'GET', headers, body, signal: opts.signal, cache: 'no-store' });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network_error', 'Shine cannot be reached. Check your connection and try again.');
  }
  if (res.ok) return res;
  const error = await errorOf(res);
  if (res.status === 401 && opts.redirectOn401 !== false) {
    clearSession();
    redirectToLogin();
  }
  throw error;
}

/** JSON request; resolves to undefined for 204. */
export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const res = await apiFetch(path, opts);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** Every item of a short list (periods, displays), following `nextCursor` a hundred at a time. */
export async function allPages<T>(path: string, opts: RequestOptions = {}): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: T[]; nextCursor: string | null } = await api(`${path}${query({ limit: 100, cursor })}`, opts);
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}
