import { ERROR_MESSAGES_ZH, TOKEN_RENEW_BEFORE_SECONDS } from '@xinyuan/shared';
import Taro, { __taro } from '../../test/stubs/taro';
import { err, mockApi } from '../../test/api-mock';
import {
  ApiError,
  buildUrl,
  configureAuth,
  downloadFile,
  fetchBlob,
  fileNameFrom,
  keepsIdempotencyKey,
  messageFor,
  parseRetryAfter,
  renewalDue,
  RENEW_RETRY_PAUSE_MS,
  request,
  retryWhenText,
  toApiError,
  upload,
} from './request';
import { submitOnce } from './wishes';

const MIN = 60_000;

function session(token: string | null, relogin: () => Promise<string>, opts: { expiresAt?: number | null; renew?: () => Promise<string> } = {}) {
  const s = {
    token,
    expiresAt: opts.expiresAt ?? null,
    lost: jest.fn(),
    relogin: jest.fn(relogin),
    renew: jest.fn(opts.renew ?? (() => Promise.reject(new Error('no renewal in this test')))),
  };
  configureAuth({ getToken: () => s.token, getExpiresAt: () => s.expiresAt, renew: s.renew, relogin: s.relogin, onAuthLost: s.lost });
  return s;
}

describe('request()', () => {
  it('sends the token and builds the URL from API_BASE, skipping empty query values', async () => {
    session('tok-1', () => Promise.reject(new Error('no')));
    const calls = mockApi({ 'GET /wishes/wall': { body: { items: [], nextCursor: null } } });
    await expect(request('/wishes/wall', { query: { category: 'repair', cursor: undefined, limit: 10 } })).resolves.toEqual({ items: [], nextCursor: null });
    expect(calls[0]).toMatchObject({ method: 'GET', path: '/wishes/wall', query: { category: 'repair', limit: '10' }, auth: 'Bearer tok-1' });
    expect(buildUrl('/x', { a: '' })).toBe('https://api.test/api/x');
  });

  it('sends {} as the body of a POST without data (the server refuses an empty JSON body), nothing on a GET', async () => {
    session('tok', () => Promise.reject(new Error('no')));
    const calls = mockApi({ 'POST /auth/logout': { status: 204, body: null }, 'GET /me': { body: {} } });
    await request('/auth/logout', { method: 'POST', renew: false });
    await request('/me');
    expect(calls.map((c) => c.data)).toEqual([{}, undefined]);
  });

  it('sends no token on calls marked auth: false', async () => {
    session('tok-1', () => Promise.reject(new Error('no')));
    const calls = mockApi({ 'POST /auth/dev-login': { body: { token: 't' } } });
    await request('/auth/dev-login', { method: 'POST', data: { openid: 'x' }, auth: false });
    expect(calls[0].auth).toBeUndefined();
    expect(calls[0].data).toEqual({ openid: 'x' });
  });

  it('maps an error code to its Chinese message', async () => {
    session('tok', () => Promise.reject(new Error('no')));
    mockApi({ 'POST /wishes/3/claim': err(409, 'WISH_ALREADY_CLAIMED', 'Wish already claimed') });
    const e = await request('/wishes/3/claim', { method: 'POST' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ code: 'WISH_ALREADY_CLAIMED', status: 409, message: ERROR_MESSAGES_ZH.WISH_ALREADY_CLAIMED });
  });

  it('maps the access policy\'s codes to the sentences people read', () => {
    for (const [status, code] of [[403, 'OWN_SUBMISSION'], [403, 'OWN_HANDLING'], [403, 'SUBMIT_NOT_ALLOWED'], [400, 'BENEFICIARY_CONSENT_REQUIRED'], [400, 'CONSENT_METHOD_REQUIRED'], [400, 'ASSIGNEE_INVALID']] as const) {
      const e = toApiError({ statusCode: status, data: { code, message: 'english' } });
      expect(e).toMatchObject({ code, message: ERROR_MESSAGES_ZH[code] });
      expect(e.message).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it("keeps the server's own message when it is a specific Chinese sentence", () => {
    expect(toApiError({ statusCode: 400, data: { code: 'VALIDATION_FAILED', message: '请选择社区' } }).message).toBe('请选择社区');
    expect(messageFor('FORBIDDEN', 'Forbidden')).toBe(ERROR_MESSAGES_ZH.FORBIDDEN);
  });

  it('falls back by HTTP status for bodies without a known code', () => {
    expect(toApiError({ statusCode: 502, data: '<html>bad gateway</html>' })).toMatchObject({ code: 'INTERNAL', message: ERROR_MESSAGES_ZH.INTERNAL });
    expect(toApiError({ statusCode: 404, data: { code: 'SOMETHING_NEW' } }).code).toBe('NOT_FOUND');
    expect(toApiError({ statusCode: 400, data: { code: 'VALIDATION_FAILED', message: 'x', details: ['title too long'] } }).details).toEqual(['title too long']);
  });

  it('turns a failed connection into NETWORK_ERROR with a Chinese message', async () => {
    session('tok', () => Promise.reject(new Error('no')));
    mockApi({ 'GET /me': new Error('request:fail timeout') });
    await expect(request('/me')).rejects.toMatchObject({ code: 'NETWORK_ERROR', status: 0, message: '网络不给力，请检查网络后重试' });
  });

  it('logs in again once on TOKEN_EXPIRED and repeats the call with the new token', async () => {
    const s = session('old', async () => {
      s.token = 'new';
      return 'new';
    });
    const calls = mockApi({ 'GET /me': (c) => (c.auth === 'Bearer new' ? { body: { id: 1 } } : err(401, 'TOKEN_EXPIRED')) });
    await expect(request('/me')).resolves.toEqual({ id: 1 });
    expect(s.relogin).toHaveBeenCalledTimes(1);
    expect(calls.map((c) => c.auth)).toEqual(['Bearer old', 'Bearer new']);
    expect(s.lost).not.toHaveBeenCalled();
  });

  it('tries the new token only once: a second 401 gives up and reports the lost session', async () => {
    const s = session('old', async () => 'new');
    const calls = mockApi({ 'GET /me': err(401, 'UNAUTHENTICATED') });
    await expect(request('/me')).rejects.toMatchObject({ code: 'UNAUTHENTICATED', message: ERROR_MESSAGES_ZH.UNAUTHENTICATED });
    expect(calls).toHaveLength(2);
    expect(s.relogin).toHaveBeenCalledTimes(1);
    expect(s.lost).toHaveBeenCalledTimes(1);
  });

  it('reports the lost session when logging in again fails', async () => {
    const s = session('old', () => Promise.reject(new ApiError('WECHAT_UNAVAILABLE', 'x', 503)));
    mockApi({ 'GET /me': err(401, 'TOKEN_EXPIRED') });
    await expect(request('/me')).rejects.toMatchObject({ code: 'TOKEN_EXPIRED', message: ERROR_MESSAGES_ZH.TOKEN_EXPIRED });
    expect(s.lost).toHaveBeenCalledWith(expect.objectContaining({ code: 'TOKEN_EXPIRED' }));
  });

  it('shares one re-login between calls that fail together', async () => {
    let release!: () => void;
    const s = session('old', () => new Promise<string>((r) => (release = () => { s.token = 'new'; r('new'); })));
    mockApi({ 'GET *': (c) => (c.auth === 'Bearer new' ? { body: c.path } : err(401, 'TOKEN_EXPIRED')) });
    const a = request('/me');
    const b = request('/me/messages/unread-count');
    await new Promise((r) => setTimeout(r, 0));
    release();
    await expect(Promise.all([a, b])).resolves.toEqual(['/me', '/me/messages/unread-count']);
    expect(s.relogin).toHaveBeenCalledTimes(1);
  });

  it('does not log in again for other errors', async () => {
    const s = session('tok', async () => 'new');
    mockApi({ 'GET /wishes/9': err(403, 'FORBIDDEN') });
    await expect(request('/wishes/9')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(s.relogin).not.toHaveBeenCalled();
  });
});

describe('renewing the token before it expires', () => {
  afterEach(() => jest.useRealTimers());

  it('is due only inside the last TOKEN_RENEW_BEFORE_SECONDS of a token that still works', () => {
    const now = Date.parse('2026-11-27T10:00:00Z');
    const before = TOKEN_RENEW_BEFORE_SECONDS * 1000;
    expect(renewalDue(null, now)).toBe(false);
    expect(renewalDue(now + before + 1000, now)).toBe(false);
    expect(renewalDue(now + before, now)).toBe(true);
    expect(renewalDue(now + 1000, now)).toBe(true);
    // Expired already: a refresh would be refused; the 401 path logs in again instead.
    expect(renewalDue(now, now)).toBe(false);
    expect(renewalDue(now - 1000, now)).toBe(false);
  });

  it('renews first when the token expires within the window, then sends the call with the new token', async () => {
    const s = session('old', () => Promise.reject(new Error('no')), {
      expiresAt: Date.now() + 10 * MIN,
      renew: async () => {
        s.token = 'new';
        s.expiresAt = Date.now() + 120 * MIN;
        return 'new';
      },
    });
    const calls = mockApi({ 'GET /me': { body: { id: 1 } } });
    await expect(request('/me')).resolves.toEqual({ id: 1 });
    expect(s.renew).toHaveBeenCalledTimes(1);
    expect(calls.map((c) => c.auth)).toEqual(['Bearer new']);
    // Renewed: the next call does not renew again.
    await request('/me');
    expect(s.renew).toHaveBeenCalledTimes(1);
  });

  it('does not renew a token with time to spare, or one whose expiry is not known', async () => {
    const s = session('tok', () => Promise.reject(new Error('no')), { expiresAt: Date.now() + TOKEN_RENEW_BEFORE_SECONDS * 1000 + 5 * MIN, renew: async () => 'new' });
    mockApi({ 'GET /me': { body: {} } });
    await request('/me');
    s.expiresAt = null;
    await request('/me');
    expect(s.renew).not.toHaveBeenCalled();
  });

  it('runs one renewal at a time: calls made meanwhile wait for it and none goes out with the old token', async () => {
    let finish!: () => void;
    const s = session('old', () => Promise.reject(new Error('no')), {
      expiresAt: Date.now() + 5 * MIN,
      renew: () =>
        new Promise<string>((r) => {
          finish = () => {
            s.token = 'new';
            s.expiresAt = Date.now() + 120 * MIN;
            r('new');
          };
        }),
    });
    const calls = mockApi({ 'GET *': (c) => ({ body: c.path }) });
    const all = Promise.all([request('/me'), request('/wishes/mine'), request('/me/messages/unread-count')]);
    await new Promise((r) => setTimeout(r, 0));
    expect(calls).toHaveLength(0);
    finish();
    await expect(all).resolves.toEqual(['/me', '/wishes/mine', '/me/messages/unread-count']);
    expect(s.renew).toHaveBeenCalledTimes(1);
    expect(calls.map((c) => c.auth)).toEqual(['Bearer new', 'Bearer new', 'Bearer new']);
  });

  it('a failed renewal does not fail the call: it goes on with the old token, and renewal waits a while before trying again', async () => {
    jest.useFakeTimers({ now: Date.parse('2026-11-27T10:00:00Z'), doNotFake: ['setTimeout', 'nextTick', 'setImmediate', 'queueMicrotask'] });
    const s = session('old', () => Promise.reject(new Error('no')), { expiresAt: Date.now() + 10 * MIN, renew: () => Promise.reject(new ApiError('NETWORK_ERROR', 'x', 0)) });
    const calls = mockApi({ 'GET /me': { body: { id: 1 } } });
    await expect(request('/me')).resolves.toEqual({ id: 1 });
    await request('/me');
    expect(s.renew).toHaveBeenCalledTimes(1);
    expect(calls.map((c) => c.auth)).toEqual(['Bearer old', 'Bearer old']);
    jest.setSystemTime(Date.now() + RENEW_RETRY_PAUSE_MS + 1000);
    await request('/me');
    expect(s.renew).toHaveBeenCalledTimes(2);
  });

  it('renews at most once a minute, even when the new token looks due too (a phone clock far ahead)', async () => {
    jest.useFakeTimers({ now: Date.parse('2026-11-27T10:00:00Z'), doNotFake: ['setTimeout', 'nextTick', 'setImmediate', 'queueMicrotask'] });
    const s = session('old', () => Promise.reject(new Error('no')), {
      expiresAt: Date.now() + 10 * MIN,
      renew: async () => {
        s.token = `t${s.renew.mock.calls.length}`;
        // The server's two hours read as ten minutes on this phone.
        s.expiresAt = Date.now() + 10 * MIN;
        return s.token;
      },
    });
    mockApi({ 'GET /me': { body: {} } });
    for (let i = 0; i < 5; i++) await request('/me');
    expect(s.renew).toHaveBeenCalledTimes(1);
    jest.setSystemTime(Date.now() + RENEW_RETRY_PAUSE_MS + 1000);
    s.expiresAt = Date.now() + 10 * MIN;
    await request('/me');
    expect(s.renew).toHaveBeenCalledTimes(2);
  });

  it("calls marked renew: false (the renewal and logout themselves) send the token as it is: no renewal, no login on a 401", async () => {
    const s = session('old', async () => 'new', { expiresAt: Date.now() + 5 * MIN, renew: async () => 'new' });
    const calls = mockApi({ 'POST /auth/refresh': err(401, 'TOKEN_REVOKED') });
    await expect(request('/auth/refresh', { method: 'POST', renew: false })).rejects.toMatchObject({ code: 'TOKEN_REVOKED', status: 401 });
    expect(calls).toHaveLength(1);
    expect(calls[0].auth).toBe('Bearer old');
    expect(s.renew).not.toHaveBeenCalled();
    expect(s.relogin).not.toHaveBeenCalled();
    expect(s.lost).not.toHaveBeenCalled();
  });
});

describe('a rejected token', () => {
  it('TOKEN_REVOKED: logs in again once (where the session allows it) and repeats the call once', async () => {
    const s = session('old', async () => {
      s.token = 'new';
      return 'new';
    });
    const calls = mockApi({ 'GET /wishes/mine': (c) => (c.auth === 'Bearer new' ? { body: { items: [], nextCursor: null } } : err(401, 'TOKEN_REVOKED')) });
    await expect(request('/wishes/mine')).resolves.toEqual({ items: [], nextCursor: null });
    expect(s.relogin).toHaveBeenCalledTimes(1);
    expect(calls).toHaveLength(2);
  });

  it('when the session refuses to log in again (H5, or logged out on purpose) the call is not repeated and the session is reported lost', async () => {
    const s = session('old', () => Promise.reject(new ApiError('UNAUTHENTICATED', '请重新登录', 401)));
    const calls = mockApi({ 'GET /me': err(401, 'TOKEN_REVOKED') });
    await expect(request('/me')).rejects.toMatchObject({ code: 'TOKEN_REVOKED', message: ERROR_MESSAGES_ZH.TOKEN_REVOKED });
    expect(calls).toHaveLength(1);
    expect(s.lost).toHaveBeenCalledTimes(1);
  });

  it('ACCOUNT_DELETED: never logs in again (it would open a new account), reports the session lost', async () => {
    const s = session('old', async () => 'new');
    const calls = mockApi({ 'GET /me': err(401, 'ACCOUNT_DELETED') });
    await expect(request('/me')).rejects.toMatchObject({ code: 'ACCOUNT_DELETED', message: ERROR_MESSAGES_ZH.ACCOUNT_DELETED });
    expect(calls).toHaveLength(1);
    expect(s.relogin).not.toHaveBeenCalled();
    expect(s.lost).toHaveBeenCalledWith(expect.objectContaining({ code: 'ACCOUNT_DELETED' }));
  });

  it('never loops: a server that keeps answering 401 sees each call twice at most and one login for all of them', async () => {
    const s = session('old', async () => {
      s.token = 'new';
      return 'new';
    });
    const calls = mockApi({ 'GET *': err(401, 'TOKEN_EXPIRED') });
    const results = await Promise.allSettled([request('/me'), request('/wishes/mine')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(calls).toHaveLength(4);
    expect(s.relogin).toHaveBeenCalledTimes(1);
    expect(s.lost).toHaveBeenCalledTimes(2);
  });
});

describe('429: too many requests', () => {
  it('says when to try again from Retry-After in seconds, and does not repeat the call', async () => {
    const s = session('tok', async () => 'new');
    const calls = mockApi({});
    (Taro.request as jest.Mock).mockImplementation(async (o: { url: string }) => {
      calls.push({ method: 'POST', path: o.url, query: {}, data: null, auth: undefined });
      return { statusCode: 429, data: { code: 'RATE_LIMITED', message: 'Too many requests' }, header: { 'Retry-After': '120' } };
    });
    const e = await request('/wishes', { method: 'POST', data: {} }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'RATE_LIMITED', status: 429, retryAfterSeconds: 120, message: '操作太频繁，请2分钟后再试' });
    expect(calls).toHaveLength(1);
    expect(s.relogin).not.toHaveBeenCalled();
  });

  it('reads Retry-After in any case and as an HTTP date; without it the plain sentence', () => {
    const now = Date.now();
    expect(toApiError({ statusCode: 429, data: { code: 'RATE_LIMITED' }, header: { 'retry-after': '45' } }).message).toBe('操作太频繁，请45秒后再试');
    expect(toApiError({ statusCode: 429, data: { code: 'RATE_LIMITED' } }).message).toBe(ERROR_MESSAGES_ZH.RATE_LIMITED);
    expect(toApiError({ statusCode: 429, data: { code: 'RATE_LIMITED' }, header: { 'retry-after': 'soon' } })).toMatchObject({ message: ERROR_MESSAGES_ZH.RATE_LIMITED, retryAfterSeconds: undefined });
    expect(parseRetryAfter(new Date(now + 10 * MIN).toUTCString(), now)).toBeGreaterThanOrEqual(9 * 60);
    expect(parseRetryAfter(new Date(now - MIN).toUTCString(), now)).toBe(0);
  });

  it('QUOTA_EXCEEDED keeps its own sentence and adds when to try again', () => {
    const e = toApiError({ statusCode: 429, data: { code: 'QUOTA_EXCEEDED', message: 'Too many pending wishes' }, header: { 'Retry-After': '3600' } });
    expect(e.code).toBe('QUOTA_EXCEEDED');
    expect(e.message.startsWith('您待处理的心愿已经很多了，请等已有心愿办理后再提交。请在')).toBe(true);
    expect(e.message).toMatch(/以后再试$/);
  });

  it('puts the time in words a person reads: seconds, minutes, a clock time, a day', () => {
    const now = new Date(2026, 10, 27, 10, 0, 0).getTime();
    expect(retryWhenText(30, now)).toBe('请30秒后再试');
    expect(retryWhenText(61, now)).toBe('请2分钟后再试');
    expect(retryWhenText(2 * 3600, now)).toBe('请在12:00以后再试');
    expect(retryWhenText(20 * 3600, now)).toBe('请在11月28日06:00以后再试');
    expect(retryWhenText(0, now)).toBe('现在可以再试一次');
  });
});

describe('files the server sends', () => {
  it('names the file from Content-Disposition (UTF-8 name first)', () => {
    expect(fileNameFrom(`attachment; filename="my-data.xlsx"; filename*=UTF-8''%E6%88%91%E7%9A%84%E6%95%B0%E6%8D%AE.xlsx`, 'x.xlsx')).toBe('我的数据.xlsx');
    expect(fileNameFrom('attachment; filename="my-data.xlsx"', 'x.xlsx')).toBe('my-data.xlsx');
    expect(fileNameFrom(undefined, 'x.xlsx')).toBe('x.xlsx');
  });

  it('WeChat: downloadFile sends the token, and an expired one is renewed by logging in again, once', async () => {
    const s = session('old', async () => {
      s.token = 'new';
      return 'new';
    });
    const dl = Taro.downloadFile as jest.Mock;
    dl.mockImplementation((o: { header: Record<string, string>; success: (r: unknown) => void }) => {
      if (o.header.authorization === 'Bearer new') o.success({ statusCode: 200, tempFilePath: 'wxfile://tmp/data.xlsx', header: { 'Content-Disposition': `attachment; filename*=UTF-8''%E6%88%91.xlsx` } });
      else o.success({ statusCode: 401, tempFilePath: 'wxfile://tmp/err' });
    });
    __taro.fsReadFileSync.mockImplementation(() => JSON.stringify({ code: 'TOKEN_EXPIRED', message: 'Token expired' }));
    await expect(downloadFile('/me/data.xlsx', 'fallback.xlsx')).resolves.toEqual({ tempFilePath: 'wxfile://tmp/data.xlsx', fileName: '我.xlsx' });
    expect(dl).toHaveBeenCalledTimes(2);
    expect(dl.mock.calls[0][0]).toMatchObject({ url: 'https://api.test/api/me/data.xlsx', header: { authorization: 'Bearer old' } });
    expect(s.relogin).toHaveBeenCalledTimes(1);
  });

  it('WeChat: an error the server wrote into the download becomes its Chinese message', async () => {
    session('tok', async () => 'new');
    (Taro.downloadFile as jest.Mock).mockImplementation((o: { success: (r: unknown) => void }) => o.success({ statusCode: 503, tempFilePath: 'wxfile://tmp/err' }));
    __taro.fsReadFileSync.mockImplementation(() => JSON.stringify({ code: 'ACCESS_LOG_UNAVAILABLE', message: 'x' }));
    await expect(downloadFile('/me/data.xlsx', 'f.xlsx')).rejects.toMatchObject({ code: 'ACCESS_LOG_UNAVAILABLE', message: ERROR_MESSAGES_ZH.ACCESS_LOG_UNAVAILABLE });
  });

  it('H5: fetches with the token and hands back a Blob with its file name', async () => {
    session('tok', async () => 'new');
    const fetchMock = jest.fn(async (_url: string, init: { headers: Record<string, string> }) => ({
      ok: true,
      status: 200,
      headers: new Headers({ 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'content-disposition': 'attachment; filename="my.xlsx"' }),
      blob: async () => new Blob(['PK'], { type: 'application/zip' }),
      json: async () => null,
      init,
    }));
    (globalThis as { fetch?: unknown }).fetch = fetchMock;
    const r = await fetchBlob('/me/data.xlsx', 'f.xlsx');
    expect(r.fileName).toBe('my.xlsx');
    expect(r.blob).toBeInstanceOf(Blob);
    expect(fetchMock.mock.calls[0][0]).toBe('https://api.test/api/me/data.xlsx');
    expect(fetchMock.mock.calls[0][1].headers).toEqual({ authorization: 'Bearer tok' });
    delete (globalThis as { fetch?: unknown }).fetch;
  });
});

describe('upload()', () => {
  it('posts the file in field "file" with the token, reports progress and parses the JSON answer', async () => {
    session('tok', async () => 'new');
    const calls = mockApi({ 'UPLOAD /photos': { status: 201, body: { id: 'p1', url: '/api/photos/p1/content', mime: 'image/png', size: 3 } } });
    const progress = jest.fn();
    await expect(upload('/photos', 'wxfile://tmp/a.png', { onProgress: progress })).resolves.toMatchObject({ id: 'p1' });
    expect(calls[0]).toMatchObject({ data: 'wxfile://tmp/a.png', auth: 'Bearer tok' });
    expect((Taro.uploadFile as jest.Mock).mock.calls[0][0]).toMatchObject({ name: 'file', url: 'https://api.test/api/photos' });
    expect(progress).toHaveBeenCalledWith(50);
  });

  it("H5: posts the picked File itself with XMLHttpRequest (nothing fetches its blob: URL, which the CSP's connect-src blocks)", async () => {
    session('tok', async () => 'new');
    const sent: { url: string; headers: Record<string, string>; body: FormData }[] = [];
    class FakeXhr {
      status = 0;
      responseText = '';
      timeout = 0;
      upload: { onprogress: ((e: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } = { onprogress: null };
      onload: (() => void) | null = null;
      onerror: (() => void) | null = null;
      ontimeout: (() => void) | null = null;
      onabort: (() => void) | null = null;
      private url = '';
      private headers: Record<string, string> = {};
      open(_m: string, url: string) {
        this.url = url;
      }
      setRequestHeader(k: string, v: string) {
        this.headers[k] = v;
      }
      getResponseHeader(k: string) {
        return k === 'retry-after' && this.status === 429 ? '30' : null;
      }
      send(body: FormData) {
        sent.push({ url: this.url, headers: this.headers, body });
        this.upload.onprogress?.({ lengthComputable: true, loaded: 5, total: 10 });
        this.status = sent.length === 1 ? 201 : 429;
        this.responseText = sent.length === 1 ? JSON.stringify({ id: 'p1', url: '/api/photos/p1/content', mime: 'image/jpeg', size: 2 }) : JSON.stringify({ code: 'RATE_LIMITED', message: 'x' });
        this.onload?.();
      }
    }
    const real = globalThis.XMLHttpRequest;
    (globalThis as { XMLHttpRequest: unknown }).XMLHttpRequest = FakeXhr;
    try {
      const file = new File(['ab'], 'cat.jpg', { type: 'image/jpeg' });
      const progress = jest.fn();
      await expect(upload('/photos', 'blob:http://x/1', { file, onProgress: progress })).resolves.toMatchObject({ id: 'p1' });
      expect(Taro.uploadFile).not.toHaveBeenCalled();
      expect(sent[0].url).toBe('https://api.test/api/photos');
      expect(sent[0].headers).toEqual({ authorization: 'Bearer tok', 'Idempotency-Key': expect.stringMatching(/^[A-Za-z0-9._:-]{8,100}$/) });
      expect((sent[0].body.get('file') as File).name).toBe('cat.jpg');
      expect(progress).toHaveBeenCalledWith(50);
      await expect(upload('/photos', 'blob:http://x/1', { file })).rejects.toMatchObject({ code: 'RATE_LIMITED', message: '操作太频繁，请30秒后再试' });
    } finally {
      (globalThis as { XMLHttpRequest: unknown }).XMLHttpRequest = real;
    }
  });

  it('maps upload errors and re-logs in like request()', async () => {
    const s = session('old', async () => {
      s.token = 'new';
      return 'new';
    });
    mockApi({ 'UPLOAD /photos': (c) => (c.auth === 'Bearer new' ? err(413, 'PHOTO_TOO_LARGE') : err(401, 'TOKEN_EXPIRED')) });
    await expect(upload('/photos', 'a.png')).rejects.toMatchObject({ code: 'PHOTO_TOO_LARGE', message: ERROR_MESSAGES_ZH.PHOTO_TOO_LARGE });
    expect(s.relogin).toHaveBeenCalledTimes(1);
  });
});

describe('idempotency keys', () => {
  it('every signed-in write carries a key of the server\'s alphabet; reads and logins carry none', async () => {
    session('tok', () => Promise.reject(new Error('no')));
    const calls = mockApi({ 'POST /wishes/3/claim': { body: {} }, 'GET /me': { body: {} }, 'POST /auth/dev-login': { body: {} } });
    await request('/wishes/3/claim', { method: 'POST' });
    await request('/me');
    await request('/auth/dev-login', { method: 'POST', data: { openid: 'x' }, auth: false });
    expect(calls[0].key).toMatch(/^[A-Za-z0-9._:-]{8,100}$/);
    expect(calls[1].key).toBeUndefined();
    expect(calls[2].key).toBeUndefined();
  });

  it('one key per attempt until the server answers: the same write after a lost reply reuses it; an answer ends it', async () => {
    session('tok', () => Promise.reject(new Error('no')));
    let reply: 'lost' | 'ok' | 'refused' = 'lost';
    const calls = mockApi({ 'POST /wishes/4/approve': () => (reply === 'lost' ? new Error('request:fail') : reply === 'ok' ? { body: {} } : err(409, 'TRANSITION_NOT_ALLOWED')) });
    await expect(request('/wishes/4/approve', { method: 'POST' })).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    reply = 'ok';
    await request('/wishes/4/approve', { method: 'POST' });
    expect(calls[1].key).toBe(calls[0].key);
    // Answered: the next approve is a new attempt.
    reply = 'refused';
    await expect(request('/wishes/4/approve', { method: 'POST' })).rejects.toMatchObject({ code: 'TRANSITION_NOT_ALLOWED' });
    expect(calls[2].key).not.toBe(calls[1].key);
    // A refusal is an answer too (the server keeps it for that key): the next try takes a new key.
    reply = 'ok';
    await request('/wishes/4/approve', { method: 'POST' });
    expect(calls[3].key).not.toBe(calls[2].key);
    // Another body is another write, with its own key.
    await request('/wishes/4/reject', { method: 'POST', data: { code: 'spam' } }).catch(() => undefined);
    expect(calls[4].key).not.toBe(calls[3].key);
  });

  it('keeps the key through a 5xx and a 409 IDEMPOTENCY_KEY_IN_USE, not through other answers', () => {
    expect(keepsIdempotencyKey(new ApiError('NETWORK_ERROR', '', 0))).toBe(true);
    expect(keepsIdempotencyKey(new ApiError('INTERNAL', '', 500))).toBe(true);
    expect(keepsIdempotencyKey(new ApiError('IDEMPOTENCY_KEY_IN_USE', '', 409))).toBe(true);
    expect(keepsIdempotencyKey(new ApiError('WISH_ALREADY_CLAIMED', '', 409))).toBe(false);
    expect(keepsIdempotencyKey(new ApiError('IDEMPOTENCY_KEY_REUSED', '', 422))).toBe(false);
  });

  it('a photo sent again after a lost reply carries the same key', async () => {
    session('tok', () => Promise.reject(new Error('no')));
    let lose = true;
    const calls = mockApi({ 'UPLOAD /photos': () => (lose ? new Error('uploadFile:fail') : { status: 201, body: { id: 'p' } }) });
    await expect(upload('/photos', 'tmp/a.jpg')).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    lose = false;
    await upload('/photos', 'tmp/a.jpg');
    expect(calls[0].key).toMatch(/^[A-Za-z0-9._:-]{8,100}$/);
    expect(calls[1].key).toBe(calls[0].key);
  });
});

describe('submitOnce (services/wishes)', () => {
  const body = (title: string) => ({ communityId: 5, category: 'repair' as const, title, description: 'x', beneficiaryName: '王', address: '1号楼', forSelf: true as const });

  it('when an earlier version of the draft reached the server under the key, fetches that saved wish with it', async () => {
    session('tok', () => Promise.reject(new Error('no')));
    // The server holds the key with the first body (its reply was lost); the person then edited the title.
    const calls = mockApi({
      'POST /wishes': (c) => ((c.data as { title: string }).title === '楼道灯坏了' ? { status: 201, body: { id: 7 } } : err(422, 'IDEMPOTENCY_KEY_REUSED')),
    });
    const kept: unknown[] = [];
    const confirming = jest.fn();
    const wish = await submitOnce(body('楼道灯坏了（补充）'), { key: 'draft-key-0001', bodies: [body('楼道灯坏了')] }, { keep: (p) => kept.push(p), confirming });
    expect(wish).toEqual({ id: 7 });
    expect(calls.map((c) => [c.key, (c.data as { title: string }).title])).toEqual([
      ['draft-key-0001', '楼道灯坏了（补充）'],
      ['draft-key-0001', '楼道灯坏了'],
    ]);
    expect(confirming).toHaveBeenCalled();
    expect(kept[0]).toEqual({ key: 'draft-key-0001', bodies: [body('楼道灯坏了'), body('楼道灯坏了（补充）')] });
    expect(kept[kept.length - 1]).toBeNull();
  });

  it('a refusal drops the key: the corrected draft is a new request', async () => {
    session('tok', () => Promise.reject(new Error('no')));
    mockApi({ 'POST /wishes': err(400, 'VALIDATION_FAILED') });
    const kept: unknown[] = [];
    await expect(submitOnce(body('楼'), null, { keep: (p) => kept.push(p), confirming: jest.fn() })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(kept[0]).toMatchObject({ key: expect.stringMatching(/^[A-Za-z0-9._:-]{8,100}$/) });
    expect(kept[kept.length - 1]).toBeNull();
  });
});
