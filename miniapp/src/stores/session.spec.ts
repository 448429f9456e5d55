import Taro, { __taro } from '../../test/stubs/taro';
import { err, mockApi } from '../../test/api-mock';
import { abilities, me, ORGS, person } from '../../test/fixtures';
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

  it('an expired token in H5 logs the remembered demo user in again, quietly, and keeps the new token', async () => {
    __taro.storage.set(KEYS.token, 'expired');
    __taro.storage.set(KEYS.devOpenid, 'demo-resident');
    const s = loadSession();
    const calls = mockApi({
      'GET /me': (c) => (c.auth === 'Bearer fresh' ? { body: me() } : err(401, 'TOKEN_EXPIRED')),
      'POST /auth/dev-login': login('fresh'),
    });
    await s.boot();
    expect(s.session.get().status).toBe('ready');
    expect(__taro.storage.get(KEYS.token)).toBe('fresh');
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /me', 'POST /auth/dev-login', 'GET /me']);
    expect(calls[1].data).toEqual({ openid: 'demo-resident' });
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
