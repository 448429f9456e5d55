// The one way this app talks to the server: request<T>() for JSON, upload<T>()
// for files. Both add the token, turn error bodies into ApiError with a Chinese
// message chosen by the error code, and on an expired or unknown token log in
// again once, quietly, and repeat the call.
import Taro from '@tarojs/taro';
import { ERROR_CODES, ERROR_MESSAGES_ZH, type ErrorCode } from '@xinyuan/shared';
import { API_BASE } from '../config';

/** Error codes of the server, plus the two the client itself can meet. */
export type ClientErrorCode = ErrorCode | 'NETWORK_ERROR' | 'BAD_RESPONSE';

const CLIENT_MESSAGES: Record<'NETWORK_ERROR' | 'BAD_RESPONSE', string> = {
  NETWORK_ERROR: '网络不给力，请检查网络后重试',
  BAD_RESPONSE: '服务器返回的内容无法识别，请稍后再试',
};

export class ApiError extends Error {
  constructor(
    readonly code: ClientErrorCode,
    message: string,
    /** HTTP status; 0 when the request never got an answer. */
    readonly status: number,
    readonly details?: string[],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const HAS_CHINESE = /[\u4e00-\u9fff]/;

/**
 * What to show a person for an error: the server's own message when it is a
 * specific Chinese sentence, else the standard sentence for the code.
 */
export function messageFor(code: ClientErrorCode, serverMessage?: string): string {
  if (serverMessage && HAS_CHINESE.test(serverMessage)) return serverMessage;
  if (code === 'NETWORK_ERROR' || code === 'BAD_RESPONSE') return CLIENT_MESSAGES[code];
  return ERROR_MESSAGES_ZH[code];
}

function isErrorCode(v: unknown): v is ErrorCode {
  return typeof v === 'string' && (ERROR_CODES as readonly string[]).includes(v);
}

function fallbackCode(status: number): ErrorCode {
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 500) return 'INTERNAL';
  return 'VALIDATION_FAILED';
}

export interface RawResponse {
  statusCode: number;
  data: unknown;
}

/** Turns a non-2xx answer into an ApiError. */
export function toApiError(raw: RawResponse): ApiError {
  const body = (typeof raw.data === 'object' && raw.data !== null ? raw.data : {}) as { code?: unknown; message?: unknown; details?: unknown };
  const code: ErrorCode = isErrorCode(body.code) ? body.code : fallbackCode(raw.statusCode);
  const details = Array.isArray(body.details) ? body.details.map(String) : undefined;
  return new ApiError(code, messageFor(code, typeof body.message === 'string' ? body.message : undefined), raw.statusCode, details);
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

/** What people read for any failure. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  return ERROR_MESSAGES_ZH.INTERNAL;
}

// ---- the session the request layer works for ----

export interface AuthHooks {
  getToken(): string | null;
  /** Logs in again (wx.login in WeChat, the remembered demo user in H5); resolves to the new token. */
  relogin(): Promise<string>;
  /** Called when logging in again did not help: the app goes back to its login screen. */
  onAuthLost(error: ApiError): void;
}

let hooks: AuthHooks = {
  getToken: () => null,
  relogin: () => Promise.reject(new ApiError('UNAUTHENTICATED', ERROR_MESSAGES_ZH.UNAUTHENTICATED, 401)),
  onAuthLost: () => undefined,
};

export function configureAuth(h: AuthHooks): void {
  hooks = h;
}

// Several calls can fail with an expired token at once; they share one re-login.
let relogging: Promise<string> | null = null;
function reloginShared(): Promise<string> {
  if (!relogging) {
    relogging = hooks.relogin().finally(() => {
      relogging = null;
    });
  }
  return relogging;
}

function isAuthFailure(raw: RawResponse): boolean {
  if (raw.statusCode !== 401) return false;
  const code = (raw.data as { code?: unknown } | null)?.code;
  return code === 'TOKEN_EXPIRED' || code === 'UNAUTHENTICATED' || code === undefined;
}

type Send = (token: string | null) => Promise<RawResponse>;

async function transport(send: Send, token: string | null): Promise<RawResponse> {
  try {
    return await send(token);
  } catch {
    throw new ApiError('NETWORK_ERROR', CLIENT_MESSAGES.NETWORK_ERROR, 0);
  }
}

async function call<T>(send: Send, auth: boolean): Promise<T> {
  let raw = await transport(send, auth ? hooks.getToken() : null);
  if (auth && isAuthFailure(raw)) {
    let fresh: string;
    try {
      fresh = await reloginShared();
    } catch {
      const err = toApiError(raw);
      hooks.onAuthLost(err);
      throw err;
    }
    raw = await transport(send, fresh);
    if (isAuthFailure(raw)) {
      const err = toApiError(raw);
      hooks.onAuthLost(err);
      throw err;
    }
  }
  if (raw.statusCode >= 200 && raw.statusCode < 300) return raw.data as T;
  throw toApiError(raw);
}

// ---- JSON requests ----

export type Query = Record<string, string | number | boolean | null | undefined>;

export function buildUrl(path: string, query?: Query): string {
  const qs = query
    ? Object.entries(query)
        .filter(([, v]) => v !== undefined && v !== null && v !== '')
        .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
        .join('&')
    : '';
  return `${API_BASE}/api${path}${qs ? `?${qs}` : ''}`;
}

function headers(token: string | null, json: boolean): Record<string, string> {
  const h: Record<string, string> = {};
  if (json) h['content-type'] = 'application/json';
  if (token) h.authorization = `Bearer ${token}`;
  return h;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  query?: Query;
  data?: unknown;
  /** false for the login calls themselves. */
  auth?: boolean;
  timeoutMs?: number;
}

export function request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const method = opts.method ?? 'GET';
  const url = buildUrl(path, opts.query);
  const send: Send = async (token) => {
    const res = await Taro.request({
      url,
      method,
      data: opts.data as never,
      header: headers(token, method !== 'GET'),
      dataType: 'json',
      timeout: opts.timeoutMs ?? 15000,
    });
    return { statusCode: res.statusCode, data: res.data };
  };
  return call<T>(send, opts.auth ?? true);
}

// ---- file uploads ----

export interface UploadOptions {
  /** Upload progress, 0–100. */
  onProgress?: (percent: number) => void;
  timeoutMs?: number;
}

export function upload<T>(path: string, filePath: string, opts: UploadOptions = {}): Promise<T> {
  const url = buildUrl(path);
  const send: Send = (token) =>
    new Promise<RawResponse>((resolve, reject) => {
      const task = Taro.uploadFile({
        url,
        filePath,
        name: 'file',
        header: headers(token, false),
        timeout: opts.timeoutMs ?? 60000,
        success: (res) => {
          let data: unknown = res.data;
          if (typeof data === 'string') {
            try {
              data = JSON.parse(data);
            } catch {
              data = null;
            }
          }
          resolve({ statusCode: res.statusCode, data });
        },
        fail: (err) => reject(err),
      });
      task?.onProgressUpdate?.((p) => opts.onProgress?.(p.progress));
    });
  return call<T>(send, true);
}

/** Photo URLs from the server are relative; the mini-program needs them absolute. */
export function assetUrl(url: string): string {
  return /^https?:\/\//.test(url) ? url : `${API_BASE}${url}`;
}
