import type { ErrorCode } from '../../domain/error-codes';
import { noteReplicaLag } from '../lib/replica-lag';
import { notify } from '../lib/notify';

/**
 * A server code from the registry (decision 023), or one raised in the browser: NETWORK, ABORTED, or HTTP_<status>
 * when an answer carried no code (a proxy's error page).
 */
export type ApiErrorCode = ErrorCode | 'NETWORK' | 'ABORTED' | `HTTP_${number}`;

/** The code of an answer's body; the server only sends registered codes. */
export const answerCode = (payload: { code?: unknown } | null | undefined, status: number): ApiErrorCode =>
  typeof payload?.code === 'string' ? (payload.code as ErrorCode) : `HTTP_${status}`;

/** An error answered by the API (`{ code, message, details }`) or raised on the way to it. */
export class ApiError extends Error {
  constructor(
    public readonly code: ApiErrorCode,
    message: string,
    public readonly status: number,
    public readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

type QueryValue = string | number | boolean | null | undefined;
export type Query = Record<string, QueryValue>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Do not show the error with message.error; the caller presents it (forms, login, import). */
  silent?: boolean;
  signal?: AbortSignal;
  /**
   * A request the page makes on a timer or on a pushed event, not on the user's action: sent with `x-background: 1`
   * so the server does not count it as activity and the idle timeout still ends an unattended session (issue 15).
   */
  background?: boolean;
}

let csrfToken: string | null = null;
let unauthorizedHandler: ((error: ApiError) => void) | null = null;
let passwordChangeHandler: ((error: ApiError) => void) | null = null;

/** The token from login or /api/auth/me; echoed in `x-csrf-token` on every non-GET request. */
export function setCsrfToken(token: string | null) {
  csrfToken = token;
}

/** Called when a request answers 401 (signed out, or SESSION_EXPIRED after idling). */
export function onUnauthorized(handler: ((error: ApiError) => void) | null) {
  unauthorizedHandler = handler;
}

/** Called when a request is refused with PASSWORD_CHANGE_REQUIRED (the password expired or was reset meanwhile). */
export function onPasswordChangeRequired(handler: ((error: ApiError) => void) | null) {
  passwordChangeHandler = handler;
}

export function buildUrl(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

const SAFE = new Set(['GET', 'HEAD']);
// Login itself answers 401 for a wrong password; that is a form error, not a lost session.
const isAuthEndpoint = (path: string) => path.startsWith('/api/auth/login');

interface ErrorPayload {
  code?: unknown;
  message?: unknown;
  details?: unknown;
}

async function errorFromResponse(res: Response): Promise<ApiError> {
  let payload: ErrorPayload | null;
  try {
    payload = (await res.json()) as ErrorPayload | null;
  } catch {
    payload = null;
  }
  const code = answerCode(payload, res.status);
  const message =
    typeof payload?.message === 'string' && payload.message
      ? payload.message
      : res.status >= 500
        ? `服务器内部错误（${res.status}），请稍后重试`
        : res.status === 404
          ? '请求的资源不存在'
          : `请求失败（${res.status}）`;
  return new ApiError(code, message, res.status, payload?.details);
}

function handleFailure(error: ApiError, path: string, silent: boolean | undefined): never {
  if (error.code === 'ABORTED') throw error;
  if (error.status === 401 && !isAuthEndpoint(path) && unauthorizedHandler) {
    unauthorizedHandler(error);
    throw error;
  }
  if (error.code === 'PASSWORD_CHANGE_REQUIRED' && passwordChangeHandler) {
    passwordChangeHandler(error);
    throw error;
  }
  if (!silent) notify.error(error.message);
  throw error;
}

async function send(method: string, path: string, opts: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: BodyInit | undefined;
  if (opts.body instanceof FormData) {
    body = opts.body;
  } else if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (!SAFE.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  if (opts.background) headers['x-background'] = '1';
  return fetch(buildUrl(path, opts.query), { method, headers, body, credentials: 'same-origin', signal: opts.signal });
}

async function refreshCsrfToken(): Promise<boolean> {
  try {
    const res = await fetch('/api/auth/me', { credentials: 'same-origin', headers: { accept: 'application/json' } });
    if (!res.ok) return false;
    const data = (await res.json()) as { csrfToken?: string };
    if (!data.csrfToken) return false;
    csrfToken = data.csrfToken;
    return true;
  } catch {
    return false;
  }
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  let res: Response;
  try {
    res = await send(method, path, opts);
    // A stale token (another tab signed in again) is refreshed once instead of failing the action.
    if (res.status === 403 && !SAFE.has(method)) {
      const err = await errorFromResponse(res.clone());
      if (err.code === 'CSRF' && (await refreshCsrfToken())) res = await send(method, path, opts);
    }
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw new ApiError('ABORTED', '请求已取消', 0);
    if (e instanceof ApiError) throw e;
    handleFailure(new ApiError('NETWORK', '网络连接失败，请检查网络后重试', 0), path, opts.silent);
  }
  if (!res.ok) handleFailure(await errorFromResponse(res), path, opts.silent);
  if (method === 'GET') noteReplicaLag(window.location.pathname, res.headers.get('x-replica-lag-ms'));
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  if (!type.includes('json')) return (await res.text()) as T;
  return (await res.json()) as T;
}

export const http = {
  get: <T>(path: string, query?: Query, opts: Omit<RequestOptions, 'query' | 'body'> = {}) =>
    request<T>('GET', path, { ...opts, query }),
  post: <T>(path: string, body?: unknown, opts: Omit<RequestOptions, 'body'> = {}) =>
    request<T>('POST', path, { ...opts, body: body ?? {} }),
  put: <T>(path: string, body?: unknown, opts: Omit<RequestOptions, 'body'> = {}) =>
    request<T>('PUT', path, { ...opts, body: body ?? {} }),
  patch: <T>(path: string, body?: unknown, opts: Omit<RequestOptions, 'body'> = {}) =>
    request<T>('PATCH', path, { ...opts, body: body ?? {} }),
  del: <T>(path: string, opts: Omit<RequestOptions, 'body'> = {}) => request<T>('DELETE', path, opts),
};

export interface UploadOptions {
  field?: string;
  onProgress?: (percent: number) => void;
  signal?: AbortSignal;
  silent?: boolean;
}

/** multipart/form-data upload; XHR rather than fetch because only XHR reports upload progress. */
export function uploadFile<T>(path: string, file: Blob, opts: UploadOptions = {}): Promise<T> {
  const form = new FormData();
  form.append(opts.field ?? 'file', file);
  const attempt = () =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', path);
      xhr.withCredentials = true;
      xhr.setRequestHeader('accept', 'application/json');
      if (csrfToken) xhr.setRequestHeader('x-csrf-token', csrfToken);
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) opts.onProgress?.(Math.round((e.loaded / e.total) * 100));
      };
      xhr.onload = () => resolve({ status: xhr.status, text: xhr.responseText });
      xhr.onerror = () => reject(new ApiError('NETWORK', '网络连接失败，请检查网络后重试', 0));
      xhr.onabort = () => reject(new ApiError('ABORTED', '上传已取消', 0));
      opts.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
      xhr.send(form);
    });
  return (async () => {
    let result: { status: number; text: string };
    try {
      result = await attempt();
      if (result.status === 403 && parseJson(result.text)?.code === 'CSRF' && (await refreshCsrfToken())) {
        result = await attempt();
      }
    } catch (e) {
      handleFailure(
        e instanceof ApiError ? e : new ApiError('NETWORK', '网络连接失败，请检查网络后重试', 0),
        path,
        opts.silent,
      );
    }
    const payload = parseJson(result.text);
    if (result.status < 200 || result.status >= 300) {
      const code = answerCode(payload, result.status);
      const message = typeof payload?.message === 'string' ? payload.message : `上传失败（${result.status}）`;
      handleFailure(new ApiError(code, message, result.status, payload?.details), path, opts.silent);
    }
    return payload as T;
  })();
}

function parseJson(text: string): ErrorPayload | null {
  try {
    return JSON.parse(text) as ErrorPayload | null;
  } catch {
    return null;
  }
}

/** Fetches a file (e.g. an .xlsx export) and hands it to the browser as a download. */
export async function downloadFile(path: string, fallbackName: string, query?: Query): Promise<void> {
  let res: Response;
  try {
    res = await fetch(buildUrl(path, query), { credentials: 'same-origin' });
  } catch {
    handleFailure(new ApiError('NETWORK', '网络连接失败，请检查网络后重试', 0), path, false);
  }
  if (!res.ok) handleFailure(await errorFromResponse(res), path, false);
  const blob = await res.blob();
  const name = fileNameFromDisposition(res.headers.get('content-disposition')) ?? fallbackName;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

function fileNameFromDisposition(header: string | null): string | null {
  if (!header) return null;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[1]!);
    } catch {
      /* fall through to the plain name */
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(header);
  return plain ? plain[1]! : null;
}
