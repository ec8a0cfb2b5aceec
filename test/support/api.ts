import { ADMIN_EMAIL, ADMIN_PASSWORD } from './server.js';

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** A tiny HTTP client for tests: real requests against a listening server. */
export class Api {
  constructor(readonly baseUrl: string, public token: string | null = null) {}

  as(token: string | null): Api {
    return new Api(this.baseUrl, token);
  }

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const h: Record<string, string> = { ...headers };
    if (this.token && h.authorization === undefined) h.authorization = `Bearer ${this.token}`;
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      h['content-type'] ??= 'application/json';
    }
    const res = await fetch(this.baseUrl + path, { method, headers: h, body: payload });
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, body: parsed as T, text };
  }

  get<T = any>(path: string, headers?: Record<string, string>) {
    return this.request<T>('GET', path, undefined, headers);
  }
  post<T = any>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('POST', path, body, headers);
  }
  patch<T = any>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('PATCH', path, body, headers);
  }
  put<T = any>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('PUT', path, body, headers);
  }
  delete<T = any>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('DELETE', path, body, headers);
  }

  async login(email: string, password: string): Promise<Api> {
    const res = await this.post<{ token: string }>('/api/v1/auth/login', { email, password });
    if (res.status !== 200) throw new Error(`login ${email} failed: ${res.status} ${res.text}`);
    return this.as(res.body.token);
  }

  loginAdmin(): Promise<Api> {
    return this.login(ADMIN_EMAIL, ADMIN_PASSWORD);
  }
}

let seq = 0;

/** Creates a person through the API (as hr/admin) and returns them with a signed-in client. */
export async function buildUser(admin: Api, overrides: Partial<{ name: string; email: string; team: string; role: string; managerId: string | null; password: string }> = {}) {
  const n = ++seq;
  const input = {
    name: overrides.name ?? `Person ${n}`,
    email: overrides.email ?? `person${n}.${process.pid}@shine.test`,
    team: overrides.team ?? 'Support',
    password: overrides.password ?? `password-${n}-long-enough`,
    ...(overrides.managerId !== undefined ? { managerId: overrides.managerId } : {}),
  };
  const res = await admin.post<{ id: string; name: string; team: string; email: string }>('/api/v1/users', input);
  if (res.status !== 201) throw new Error(`create user failed: ${res.status} ${res.text}`);
  let user = res.body;
  if (overrides.role && overrides.role !== 'employee') {
    const r = await admin.patch(`/api/v1/users/${user.id}`, { role: overrides.role });
    if (r.status !== 200) throw new Error(`set role failed: ${r.status} ${r.text}`);
    user = r.body;
  }
  const api = await admin.as(null).login(input.email, input.password);
  return { user, api, password: input.password };
}
