// The one way this app talks to the server: request<T>() for JSON, upload<T>()
// for files, downloadFile() / fetchBlob() for files the server sends. All of
// them add the token, renew it shortly before it expires (one renewal at a
// time; other calls wait for it), turn error bodies into ApiError with a
// Chinese message chosen by the error code (with when to try again after a
// 429), and on a rejected token log in again once, where the session allows
// it, and repeat the call once.
import Taro from '@tarojs/taro';
import { ERROR_CODES, ERROR_MESSAGES_ZH, IDEMPOTENCY_KEY_HEADER, TOKEN_RENEW_BEFORE_SECONDS, type ErrorCode } from '@xinyuan/shared';
import { API_BASE } from '../config';
import { isWeapp } from '../utils/platform';

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
    /** 429: the server's Retry-After, in seconds from when the answer came. */
    readonly retryAfterSeconds?: number,
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
  /** Response headers (WeChat keeps the server's case, H5 lower-cases them). */
  header?: Record<string, string | undefined>;
}

/** A response header by name, whatever its case. */
export function headerOf(raw: Pick<RawResponse, 'header'>, name: string): string | undefined {
  if (!raw.header) return undefined;
  const want = name.toLowerCase();
  const key = Object.keys(raw.header).find((k) => k.toLowerCase() === want);
  return key === undefined ? undefined : raw.header[key];
}

/** Retry-After (seconds, or an HTTP date) as seconds from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** When to try again, in words: "请30秒后再试", "请5分钟后再试", "请在14:30以后再试". */
export function retryWhenText(seconds: number, now: number = Date.now()): string {
  if (seconds <= 0) return '现在可以再试一次';
  if (seconds < 60) return `请${seconds}秒后再试`;
  if (seconds < 3600) return `请${Math.ceil(seconds / 60)}分钟后再试`;
  const at = new Date(now + seconds * 1000);
  const today = new Date(now);
  const clock = `${pad2(at.getHours())}:${pad2(at.getMinutes())}`;
  return at.toDateString() === today.toDateString() ? `请在${clock}以后再试` : `请在${at.getMonth() + 1}月${at.getDate()}日${clock}以后再试`;
}

/** The message of a 429 with the time to try again folded in: "操作太频繁，请5分钟后再试". */
function withRetryWhen(message: string, seconds: number | undefined): string {
  if (seconds === undefined) return message;
  const when = retryWhenText(seconds);
  if (/请稍后再试[。！]?$/.test(message)) return message.replace(/请稍后再试[。！]?$/, when);
  return `${message.replace(/[。！]$/, '')}。${when}`;
}

/** Turns a non-2xx answer into an ApiError. */
export function toApiError(raw: RawResponse): ApiError {
  const body = (typeof raw.data === 'object' && raw.data !== null ? raw.data : {}) as { code?: unknown; message?: unknown; details?: unknown };
  const code: ErrorCode = isErrorCode(body.code) ? body.code : fallbackCode(raw.statusCode);
  const details = Array.isArray(body.details) ? body.details.map(String) : undefined;
  const message = messageFor(code, typeof body.message === 'string' ? body.message : undefined);
  if (raw.statusCode === 429) {
    const retryAfter = parseRetryAfter(headerOf(raw, 'retry-after'));
    return new ApiError(code, withRetryWhen(message, retryAfter), raw.statusCode, details, retryAfter);
  }
  return new ApiError(code, message, raw.statusCode, details);
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
  /** When the token stops working (ms since the epoch); null when not known. */
  getExpiresAt(): number | null;
  /** Trades the current token for a fresh one (POST /auth/refresh); resolves to the new token. */
  renew(): Promise<string>;
  /**
   * Logs in again without asking the person (WeChat: a wx.login code); resolves to
   * the new token. Rejects where that is not allowed: in H5, after a logout on purpose.
   */
  relogin(): Promise<string>;
  /** The token is gone and could not be replaced: the app goes back to its login screen. */
  onAuthLost(error: ApiError): void;
}

const noSession: AuthHooks = {
  getToken: () => null,
  getExpiresAt: () => null,
  renew: () => Promise.reject(new ApiError('UNAUTHENTICATED', ERROR_MESSAGES_ZH.UNAUTHENTICATED, 401)),
  relogin: () => Promise.reject(new ApiError('UNAUTHENTICATED', ERROR_MESSAGES_ZH.UNAUTHENTICATED, 401)),
  onAuthLost: () => undefined,
};
let hooks: AuthHooks = noSession;

export function configureAuth(h: AuthHooks): void {
  hooks = h;
  renewing = null;
  relogging = null;
  lastRenewalAt = 0;
}

/**
 * At most one renewal in this time: after a failed one (offline, server busy) calls go on
 * with the old token meanwhile, and a phone whose clock runs far ahead, which would find
 * every fresh token "due", renews once a minute rather than before every call.
 */
export const RENEW_RETRY_PAUSE_MS = 60_000;

// One renewal at a time: calls that find the token due wait for the same one.
let renewing: Promise<void> | null = null;
let lastRenewalAt = 0;

/** Whether the token is due for renewal: still valid, but expiring within TOKEN_RENEW_BEFORE_SECONDS. */
export function renewalDue(expiresAt: number | null, now: number = Date.now()): boolean {
  if (expiresAt === null) return false;
  const left = expiresAt - now;
  return left > 0 && left <= TOKEN_RENEW_BEFORE_SECONDS * 1000;
}

async function renewIfDue(): Promise<void> {
  if (renewing) return renewing;
  if (!hooks.getToken() || !renewalDue(hooks.getExpiresAt())) return;
  if (Date.now() - lastRenewalAt < RENEW_RETRY_PAUSE_MS) return;
  lastRenewalAt = Date.now();
  renewing = hooks
    .renew()
    .then(
      () => undefined,
      // The old token may still be good; if it is not, the call's own 401 takes over.
      () => undefined,
    )
    .finally(() => {
      renewing = null;
    });
  return renewing;
}

// Several calls can meet a rejected token at once; they share one re-login.
let relogging: Promise<string> | null = null;
function reloginShared(): Promise<string> {
  if (!relogging) {
    relogging = hooks.relogin().finally(() => {
      relogging = null;
    });
  }
  return relogging;
}

/** Rejections a fresh login can cure. ACCOUNT_DELETED cannot: logging in again would only open a new account. */
function reloginCures(raw: RawResponse): boolean {
  if (raw.statusCode !== 401) return false;
  const code = (raw.data as { code?: unknown } | null)?.code;
  return code === 'TOKEN_EXPIRED' || code === 'TOKEN_REVOKED' || code === 'UNAUTHENTICATED' || code === undefined;
}

type Send = (token: string | null) => Promise<RawResponse>;

async function transport(send: Send, token: string | null): Promise<RawResponse> {
  try {
    return await send(token);
  } catch {
    throw new ApiError('NETWORK_ERROR', CLIENT_MESSAGES.NETWORK_ERROR, 0);
  }
}

/**
 * How a call uses the session. 'session': renew when due, log in again on a
 * rejected token, once. 'token': send the token as it is and nothing more (the
 * renewal and logout calls themselves). 'none': no token (the login calls).
 */
export type AuthMode = 'session' | 'token' | 'none';

function lost(raw: RawResponse): never {
  const err = toApiError(raw);
  hooks.onAuthLost(err);
  throw err;
}

/** Sends, dealing with the session as `mode` says; resolves to a 2xx answer, throws ApiError otherwise. */
async function exchange(send: Send, mode: AuthMode): Promise<RawResponse> {
  if (mode === 'session') await renewIfDue();
  let raw = await transport(send, mode === 'none' ? null : hooks.getToken());
  if (mode === 'session' && raw.statusCode === 401) {
    if (!reloginCures(raw)) lost(raw);
    let fresh: string;
    try {
      fresh = await reloginShared();
    } catch {
      lost(raw);
    }
    // Once: whatever this answers is the answer.
    raw = await transport(send, fresh);
    if (raw.statusCode === 401) lost(raw);
  }
  if (raw.statusCode >= 200 && raw.statusCode < 300) return raw;
  throw toApiError(raw);
}

async function call<T>(send: Send, mode: AuthMode): Promise<T> {
  return (await exchange(send, mode)).data as T;
}

function modeOf(opts: { auth?: boolean; renew?: boolean }): AuthMode {
  if (opts.auth === false) return 'none';
  return opts.renew === false ? 'token' : 'session';
}

// ---- idempotency keys: every write carries one, so a repeat after a lost reply changes nothing ----

/** A fresh key: time and randomness, 8–100 characters of the server's alphabet. */
export function newIdempotencyKey(): string {
  let r = '';
  while (r.length < 16) r += Math.random().toString(36).slice(2);
  return `${Date.now().toString(36)}-${r.slice(0, 16)}`;
}

/**
 * Whether an error leaves the key worth keeping: the server may not have answered (no reply,
 * a 5xx, the first attempt still running), so the same request again must carry the same key.
 * Any other answer is final for that key (the server keeps it), and a new attempt takes a new one.
 */
export function keepsIdempotencyKey(e: unknown): boolean {
  if (!(e instanceof ApiError)) return true;
  return e.status === 0 || e.status >= 500 || e.code === 'IDEMPOTENCY_KEY_IN_USE';
}

// One key per attempt-until-success: the same write (method, path and body) sent again
// after a lost reply reuses its key; a definite answer ends it.
const attemptKeys = new Map<string, string>();

/** Runs `send` with the key of this write's attempt, keeping the key until the server has definitely answered. */
export async function withAttemptKey<T>(slot: string, send: (key: string) => Promise<T>): Promise<T> {
  const key = attemptKeys.get(slot) ?? newIdempotencyKey();
  attemptKeys.set(slot, key);
  try {
    const r = await send(key);
    attemptKeys.delete(slot);
    return r;
  } catch (e) {
    if (!keepsIdempotencyKey(e)) attemptKeys.delete(slot);
    throw e;
  }
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
  /**
   * false for the renewal and logout calls: the token is sent as it is, never
   * renewed first, and a 401 is the answer (no logging in again).
   */
  renew?: boolean;
  timeoutMs?: number;
  /**
   * A write's idempotency key, where the caller keeps one (a draft keeps its own). Without it
   * every write still carries one: the same write sent again before a definite answer reuses it.
   */
  idempotencyKey?: string;
}

export function request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const method = opts.method ?? 'GET';
  const url = buildUrl(path, opts.query);
  // A JSON request always carries a JSON body: the server refuses an empty one, and WeChat
  // sends the JSON content type whatever the data.
  const data = opts.data ?? (method === 'GET' ? undefined : {});
  const sendWith =
    (key: string | null): Send =>
    async (token) => {
      const header = headers(token, method !== 'GET');
      if (key) header[IDEMPOTENCY_KEY_HEADER.toLowerCase()] = key;
      const res = await Taro.request({ url, method, data: data as never, header, dataType: 'json', timeout: opts.timeoutMs ?? 15000 });
      return { statusCode: res.statusCode, data: res.data, header: res.header as Record<string, string> | undefined };
    };
  // The login calls have no user to keep a key for.
  if (method === 'GET' || opts.auth === false) return call<T>(sendWith(null), modeOf(opts));
  if (opts.idempotencyKey) return call<T>(sendWith(opts.idempotencyKey), modeOf(opts));
  return withAttemptKey(`${method} ${url} ${JSON.stringify(data)}`, (key) => call<T>(sendWith(key), modeOf(opts)));
}

// ---- file uploads ----

export interface UploadOptions {
  /** Upload progress, 0–100. */
  onProgress?: (percent: number) => void;
  timeoutMs?: number;
  /**
   * H5: the picked file itself. It is posted as it is; Taro's H5 uploadFile would first
   * fetch its blob: URL, which the Content-Security-Policy (connect-src 'self') blocks.
   */
  file?: Blob | null;
}

function parseJsonText(text: unknown): unknown {
  if (typeof text !== 'string') return text ?? null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** H5: multipart POST of a File with XMLHttpRequest (for progress), field "file". */
function xhrUpload(url: string, file: Blob, token: string | null, key: string, opts: UploadOptions): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.setRequestHeader(IDEMPOTENCY_KEY_HEADER, key);
    xhr.timeout = opts.timeoutMs ?? 60000;
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) opts.onProgress?.(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onload = () => {
      const retryAfter = xhr.getResponseHeader('retry-after');
      resolve({ statusCode: xhr.status, data: parseJsonText(xhr.responseText), header: retryAfter === null ? {} : { 'retry-after': retryAfter } });
    };
    xhr.onerror = () => reject(new Error('uploadFile:fail'));
    xhr.ontimeout = () => reject(new Error('uploadFile:fail timeout'));
    xhr.onabort = () => reject(new Error('uploadFile:fail abort'));
    const form = new FormData();
    const name = (file as { name?: string }).name;
    form.append('file', file, name || `photo-${Date.now()}.jpg`);
    xhr.send(form);
  });
}

export function upload<T>(path: string, filePath: string, opts: UploadOptions = {}): Promise<T> {
  const url = buildUrl(path);
  const file = opts.file;
  // One key per file until the server answers: a retry after a lost reply gets the first upload back.
  const slot = `UPLOAD ${url} ${filePath} ${file ? file.size : ''}`;
  if (file && !isWeapp()) return withAttemptKey(slot, (key) => call<T>((token) => xhrUpload(url, file, token, key, opts), 'session'));
  return withAttemptKey(slot, (key) => call<T>(uploadSend(url, filePath, key, opts), 'session'));
}

function uploadSend(url: string, filePath: string, key: string, opts: UploadOptions): Send {
  return (token) =>
    new Promise<RawResponse>((resolve, reject) => {
      const task = Taro.uploadFile({
        url,
        filePath,
        name: 'file',
        header: { ...headers(token, false), [IDEMPOTENCY_KEY_HEADER.toLowerCase()]: key },
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
          resolve({ statusCode: res.statusCode, data, header: (res as { header?: Record<string, string> }).header });
        },
        fail: (err) => reject(err),
      });
      task?.onProgressUpdate?.((p) => opts.onProgress?.(p.progress));
    });
}

// ---- files the server sends (they need the bearer token, so no plain link) ----

/** "我的数据.xlsx" from Content-Disposition (filename* in UTF-8 first), or the fallback. */
export function fileNameFrom(disposition: string | undefined, fallback: string): string {
  if (!disposition) return fallback;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      /* fall through to the plain name */
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(disposition);
  return plain ? plain[1].trim() : fallback;
}

/** An error body WeChat's downloadFile wrote to a temporary file instead of handing it over. */
function readErrorBody(tempFilePath: string | undefined): unknown {
  if (!tempFilePath) return null;
  try {
    const text = Taro.getFileSystemManager().readFileSync(tempFilePath, 'utf8') as string;
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export interface DownloadedFile {
  /** WeChat's temporary path of the file. */
  tempFilePath: string;
  fileName: string;
}

/** WeChat: downloads to a temporary file with the token in the header (then openDocument or saveFile it). */
export function downloadFile(path: string, fallbackName: string, opts: { timeoutMs?: number } = {}): Promise<DownloadedFile> {
  const url = buildUrl(path);
  const send: Send = (token) =>
    new Promise<RawResponse>((resolve, reject) => {
      Taro.downloadFile({
        url,
        header: headers(token, false),
        timeout: opts.timeoutMs ?? 60000,
        success: (res) => {
          const ok = res.statusCode >= 200 && res.statusCode < 300;
          const header = (res as { header?: Record<string, string> }).header;
          resolve({ statusCode: res.statusCode, data: ok ? res.tempFilePath : readErrorBody(res.tempFilePath), header });
        },
        fail: (err) => reject(err),
      });
    });
  return exchange(send, 'session').then((raw) => ({ tempFilePath: raw.data as string, fileName: fileNameFrom(headerOf(raw, 'content-disposition'), fallbackName) }));
}

export interface FetchedBlob {
  blob: Blob;
  fileName: string;
}

/** H5: fetches a file with the token in the header, as a Blob to save through an <a download>. */
export function fetchBlob(path: string, fallbackName: string): Promise<FetchedBlob> {
  const url = buildUrl(path);
  const send: Send = async (token) => {
    const res = await fetch(url, { headers: headers(token, false) });
    const header: Record<string, string> = {};
    res.headers.forEach((v, k) => (header[k] = v));
    const data = res.ok ? await res.blob() : await res.json().catch(() => null);
    return { statusCode: res.status, data, header };
  };
  return exchange(send, 'session').then((raw) => ({ blob: raw.data as Blob, fileName: fileNameFrom(headerOf(raw, 'content-disposition'), fallbackName) }));
}

/** Photo URLs from the server are relative; the mini-program needs them absolute. */
export function assetUrl(url: string): string {
  return /^https?:\/\//.test(url) ? url : `${API_BASE}${url}`;
}
