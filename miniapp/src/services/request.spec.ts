import { ERROR_MESSAGES_ZH } from '@xinyuan/shared';
import Taro from '../../test/stubs/taro';
import { err, mockApi } from '../../test/api-mock';
import { ApiError, buildUrl, configureAuth, messageFor, request, toApiError, upload } from './request';

function session(token: string | null, relogin: () => Promise<string>) {
  const s = { token, lost: jest.fn(), relogin: jest.fn(relogin) };
  configureAuth({ getToken: () => s.token, relogin: s.relogin, onAuthLost: s.lost });
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
