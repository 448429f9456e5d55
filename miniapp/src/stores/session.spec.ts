import Taro, { __taro } from '../../test/stubs/taro';
import { err, mockApi } from '../../test/api-mock';
import { abilities, me, ORGS, person } from '../../test/fixtures';
import { authApi } from '../services/auth';
import { request } from '../services/request';
import { KEYS } from '../services/storage';

import * as session from './session';

const loadSession = () => session;

const login = (token: string, user = me()) => ({ body: { token, expiresAt: '2030-01-01T00:00:00.000Z', user } });

describe('session', () => {
  it('H5 without a kept token or demo user waits for the login picker', async () => {
    const s = loadSession();
    const calls = mockApi({});
    await s.boot();
    expect(s.session.get().status).toBe('anonymous');
    expect(calls).toHaveLength(0);
  });

  it('uses a kept token: one /me call, no login', async () => {
    __taro.storage.set(KEYS.token, 'kept');
    const s = loadSession();
    const calls = mockApi({ 'GET /me': { body: me() } });
    await s.boot();
    expect(s.session.get()).toMatchObject({ status: 'ready', me: { nickname: '王秀兰' } });
    expect(calls.map((c) => `${c.method} ${c.path} ${c.auth}`)).toEqual(['GET /me Bearer kept']);
  });

  it('H5: an expired token goes to the login screen, saying why; no quiet login, not even for a remembered demo person', async () => {
    __taro.storage.set(KEYS.token, 'expired');
    __taro.storage.set(KEYS.devOpenid, 'demo-resident');
    const s = loadSession();
    const calls = mockApi({ 'GET /me': err(401, 'TOKEN_EXPIRED'), 'POST /auth/dev-login': login('fresh') });
    await s.boot();
    expect(s.session.get()).toMatchObject({ status: 'anonymous', me: null, notice: '登录已过期，请重新登录' });
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /me']);
    expect(__taro.storage.has(KEYS.token)).toBe(false);
    expect(__taro.storage.has(KEYS.devOpenid)).toBe(false);
  });

  it('H5: a call that goes out after the token was lost (no token, 请先登录) leaves the login screen saying why', async () => {
    __taro.storage.set(KEYS.token, 'expired');
    const s = loadSession();
    const calls = mockApi({ 'GET /me': err(401, 'TOKEN_EXPIRED'), 'GET /wishes/mine': err(401, 'UNAUTHENTICATED') });
    await s.boot();
    // The page's own call, made after boot had forgotten the token.
    await expect(request('/wishes/mine')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(calls.map((c) => `${c.method} ${c.path} ${c.auth}`)).toEqual(['GET /me Bearer expired', 'GET /wishes/mine undefined']);
    expect(s.session.get()).toMatchObject({ status: 'anonymous', me: null, notice: '登录已过期，请重新登录' });
  });

  it('H5: a rejected token with nobody to log in again goes back to the picker and forgets the token', async () => {
    __taro.storage.set(KEYS.token, 'expired');
    const s = loadSession();
    mockApi({ 'GET /me': err(401, 'TOKEN_EXPIRED') });
    await s.boot();
    expect(s.session.get().status).toBe('anonymous');
    expect(__taro.storage.has(KEYS.token)).toBe(false);
  });

  it('WeChat: logs in with a wx.login code through /auth/wechat', async () => {
    process.env.TARO_ENV = 'weapp';
    (Taro.login as jest.Mock).mockResolvedValue({ code: 'wx-code-1' });
    const s = loadSession();
    const calls = mockApi({ 'POST /auth/wechat': login('wx-token') });
    await s.boot();
    expect(calls[0]).toMatchObject({ path: '/auth/wechat', data: { code: 'wx-code-1' }, auth: undefined });
    expect(s.session.get().status).toBe('ready');
    expect(__taro.storage.get(KEYS.token)).toBe('wx-token');
  });

  it('WeChat: a failed login shows the error in Chinese, with a retry', async () => {
    process.env.TARO_ENV = 'weapp';
    (Taro.login as jest.Mock).mockResolvedValue({ code: 'bad' });
    const s = loadSession();
    mockApi({ 'POST /auth/wechat': err(400, 'WECHAT_CODE_INVALID') });
    await s.boot();
    expect(s.session.get()).toMatchObject({ status: 'error', error: '微信登录凭证无效，请重新进入小程序' });
  });

  it('keeps when the token expires, from the login answer', async () => {
    const s = loadSession();
    mockApi({ 'POST /auth/dev-login': login('tk') });
    await s.devLogin('demo-resident');
    expect(__taro.storage.get(KEYS.tokenExpiresAt)).toBe(Date.parse('2030-01-01T00:00:00.000Z'));
    expect(s.getTokenExpiresAt()).toBe(Date.parse('2030-01-01T00:00:00.000Z'));
  });

  it('renews quietly with POST /auth/refresh when the token has less than TOKEN_RENEW_BEFORE_SECONDS left, once for calls made together', async () => {
    __taro.storage.set(KEYS.token, 'old');
    __taro.storage.set(KEYS.tokenExpiresAt, Date.now() + 10 * 60_000);
    const s = loadSession();
    const renewed = new Date(Date.now() + 2 * 3600_000).toISOString();
    const calls = mockApi({
      'POST /auth/refresh': (c) => (c.auth === 'Bearer old' ? { body: { token: 'renewed', expiresAt: renewed, user: me() } } : err(401, 'TOKEN_REVOKED')),
      'GET /me': (c) => (c.auth === 'Bearer renewed' ? { body: me() } : err(401, 'TOKEN_EXPIRED')),
      'GET /me/messages/unread-count': (c) => (c.auth === 'Bearer renewed' ? { body: { unread: 0 } } : err(401, 'TOKEN_EXPIRED')),
    });
    await Promise.all([s.boot(), authApi.me(), request('/me/messages/unread-count')]);
    expect(calls.filter((c) => c.path === '/auth/refresh')).toHaveLength(1);
    expect(calls[0].path).toBe('/auth/refresh');
    expect(calls.slice(1).every((c) => c.auth === 'Bearer renewed')).toBe(true);
    expect(__taro.storage.get(KEYS.token)).toBe('renewed');
    expect(__taro.storage.get(KEYS.tokenExpiresAt)).toBe(Date.parse(renewed));
    expect(s.session.get().status).toBe('ready');
  });

  it('WeChat: TOKEN_EXPIRED runs the wx.login exchange once and repeats the call once', async () => {
    process.env.TARO_ENV = 'weapp';
    __taro.storage.set(KEYS.token, 'expired');
    (Taro.login as jest.Mock).mockResolvedValue({ code: 'wx-code-2' });
    const s = loadSession();
    const calls = mockApi({
      'GET /me': (c) => (c.auth === 'Bearer wx-new' ? { body: me() } : err(401, 'TOKEN_EXPIRED')),
      'POST /auth/wechat': login('wx-new'),
    });
    await s.boot();
    expect(calls.map((c) => `${c.method} ${c.path} ${c.auth ?? '-'}`)).toEqual(['GET /me Bearer expired', 'POST /auth/wechat -', 'GET /me Bearer wx-new']);
    expect(Taro.login).toHaveBeenCalledTimes(1);
    expect(s.session.get().status).toBe('ready');
  });

  it('WeChat: TOKEN_REVOKED while not logged out on purpose (e.g. logged out on another phone) logs in again the same way', async () => {
    process.env.TARO_ENV = 'weapp';
    __taro.storage.set(KEYS.token, 'revoked');
    (Taro.login as jest.Mock).mockResolvedValue({ code: 'wx-code-3' });
    const s = loadSession();
    const calls = mockApi({
      'GET /wishes/mine': (c) => (c.auth === 'Bearer wx-new' ? { body: { items: [], nextCursor: null } } : err(401, 'TOKEN_REVOKED')),
      'POST /auth/wechat': login('wx-new'),
    });
    await expect(request('/wishes/mine')).resolves.toEqual({ items: [], nextCursor: null });
    expect(calls).toHaveLength(3);
    expect(s.session.get().status).toBe('ready');
  });

  it('WeChat: a login that does not help is not repeated, and the person is told', async () => {
    process.env.TARO_ENV = 'weapp';
    __taro.storage.set(KEYS.token, 'expired');
    (Taro.login as jest.Mock).mockResolvedValue({ code: 'wx-code' });
    const s = loadSession();
    const calls = mockApi({ 'GET /me': err(401, 'TOKEN_EXPIRED'), 'POST /auth/wechat': login('still-bad') });
    await s.boot();
    expect(calls.map((c) => c.path)).toEqual(['/me', '/auth/wechat', '/me']);
    expect(s.session.get()).toMatchObject({ status: 'error', error: '登录失败，请稍后重新进入小程序' });
  });

  it('logout revokes the tokens on the server, forgets the token and stays out: no quiet login afterwards, even in WeChat', async () => {
    process.env.TARO_ENV = 'weapp';
    __taro.storage.set(KEYS.token, 'tok');
    __taro.storage.set(KEYS.tokenExpiresAt, Date.now() + 3600_000);
    (Taro.login as jest.Mock).mockResolvedValue({ code: 'wx-code' });
    const s = loadSession();
    s.session.set({ status: 'ready', me: me() });
    const calls = mockApi({ 'POST /auth/logout': { status: 204, body: null }, 'GET /me': err(401, 'UNAUTHENTICATED'), 'POST /auth/wechat': login('wx-new') });
    await expect(s.logout()).resolves.toBe(true);
    expect(calls[0]).toMatchObject({ method: 'POST', path: '/auth/logout', auth: 'Bearer tok' });
    expect(__taro.storage.has(KEYS.token)).toBe(false);
    expect(__taro.storage.has(KEYS.tokenExpiresAt)).toBe(false);
    expect(s.session.get()).toMatchObject({ status: 'anonymous', me: null, notice: '您已退出登录' });

    // A page still open asks for something: one 401, no wx.login, no second try.
    await expect(authApi.me()).rejects.toMatchObject({ status: 401 });
    // The app starts again: still out, waiting for a tap.
    await s.boot();
    expect(s.session.get().status).toBe('anonymous');
    expect(Taro.login).not.toHaveBeenCalled();
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['POST /auth/logout', 'GET /me']);

    // The tap: logs in, and quiet renewals work again.
    await s.loginWithWechat();
    expect(s.session.get().status).toBe('ready');
    expect(__taro.storage.has(KEYS.loggedOut)).toBe(false);
    expect(s.loggedOutOnPurpose()).toBe(false);
  });

  it('logout when the server cannot be reached still logs out here, and says the server did not confirm', async () => {
    __taro.storage.set(KEYS.token, 'tok');
    const s = loadSession();
    mockApi({ 'POST /auth/logout': new Error('request:fail') });
    await expect(s.logout()).resolves.toBe(false);
    expect(s.session.get().status).toBe('anonymous');
    expect(__taro.storage.has(KEYS.token)).toBe(false);
  });

  it('calls that meet the revoked token while logging out do not log in again', async () => {
    process.env.TARO_ENV = 'weapp';
    __taro.storage.set(KEYS.token, 'tok');
    (Taro.login as jest.Mock).mockResolvedValue({ code: 'wx-code' });
    const s = loadSession();
    let revoked = false;
    const calls = mockApi({
      'POST /auth/logout': () => {
        revoked = true;
        return { status: 204, body: null };
      },
      'GET /me/messages/unread-count': () => (revoked ? err(401, 'TOKEN_REVOKED') : { body: { unread: 1 } }),
      'POST /auth/wechat': login('wx-new'),
    });
    const out = s.logout();
    const meanwhile = request('/me/messages/unread-count').catch((e: unknown) => e);
    await out;
    await meanwhile;
    expect(Taro.login).not.toHaveBeenCalled();
    expect(calls.filter((c) => c.path === '/auth/wechat')).toHaveLength(0);
    expect(s.session.get()).toMatchObject({ status: 'anonymous', notice: '您已退出登录' });
  });

  it('WeChat: ACCOUNT_DELETED does not log in again (that would open a new account) and stays out', async () => {
    process.env.TARO_ENV = 'weapp';
    __taro.storage.set(KEYS.token, 'tok');
    (Taro.login as jest.Mock).mockResolvedValue({ code: 'wx-code' });
    const s = loadSession();
    mockApi({ 'GET /me': err(401, 'ACCOUNT_DELETED') });
    await s.boot();
    expect(Taro.login).not.toHaveBeenCalled();
    expect(s.session.get()).toMatchObject({ status: 'anonymous', notice: '该账号已注销' });
    expect(s.loggedOutOnPurpose()).toBe(true);
  });

  it('records consent with the notice version the server asked for', async () => {
    __taro.storage.set(KEYS.token, 'kept');
    const s = loadSession();
    const calls = mockApi({
      'GET /me': { body: me({ consent: null, consentRequired: true, privacyNoticeVersion: '2026-11-01' }) },
      'POST /me/consent': { body: me() },
    });
    await s.boot();
    await s.recordConsent();
    expect(calls[1].data).toEqual({ version: '2026-11-01' });
    expect(s.session.get().me?.consentRequired).toBe(false);
  });

  it('decides from the abilities GET /me sends, never from roles', () => {
    const s = loadSession();
    // A grid worker: files on behalf and reviews in 北小街社区; no wall, no registrations, no ledger.
    const grid = person('gridWorker');
    expect(s.can(grid, 'submit_on_behalf')).toBe(true);
    expect(s.can(grid, 'review_queue')).toBe(true);
    expect(s.can(grid, 'wall')).toBe(false);
    expect(s.can(grid, 'registrations')).toBe(false);
    expect(s.can(grid, 'ledger')).toBe(false);
    expect(s.communitiesFor(grid, 'submit_on_behalf')).toEqual([{ id: 5, name: '北小街社区' }]);
    expect(s.communitiesFor(grid, 'wall')).toEqual([]);
    // A role the policy does not honour for this ability changes nothing: the abilities decide.
    const unhonoured = me({ roles: [{ role: 'member', orgId: 5, orgName: '北小街社区', orgKind: 'community' }], abilities: abilities({ submit: true }) });
    expect(s.can(unhonoured, 'wall')).toBe(false);
    expect(s.can(null, 'submit')).toBe(false);
  });

  it('lists the organisations an ability comes from once each, by kind', () => {
    const s = loadSession();
    const both = me({ abilities: abilities({ wall: [ORGS.community, { orgId: 6, orgName: '城南新村社区', orgKind: 'community' }, ORGS.community], ledger: [ORGS.street, ORGS.community] }) });
    expect(s.communitiesFor(both, 'wall')).toEqual([{ id: 5, name: '北小街社区' }, { id: 6, name: '城南新村社区' }]);
    expect(s.abilityOrgs(both, 'ledger', ['street']).map((o) => o.orgName)).toEqual(['人民街街道']);
    expect(s.abilityOrgs(both, 'ledger').map((o) => o.orgId)).toEqual([3, 5]);
    // Orgs of an ability that is not allowed are not used.
    const refused = me({ abilities: { ...abilities(), wall: { allowed: false, orgs: [ORGS.community] } } });
    expect(s.communitiesFor(refused, 'wall')).toEqual([]);
  });

  it('presets the wish form with the community a resident grant names (a convenience, no access)', () => {
    const s = loadSession();
    expect(s.homeCommunities(person('resident'))).toEqual([{ id: 5, name: '北小街社区' }]);
    expect(s.homeCommunities(person('gridWorker'))).toEqual([]);
  });
});
