// Tokens that can be revoked: every token carries the user's token version (`ver`), which
// the guard compares with the version it loads together with the user's grants. Logout
// moves the version on (all devices), so do account deletion and a member's deactivation;
// /auth/refresh renews a live token under the same version. Export links are single-use
// and die with the session that made them.
import jwt from 'jsonwebtoken';
import { FakeClock } from '../../src/common/clock';
import { createTestApp, type TestApp } from '../create-test-app';
import { buildWorld, type World } from '../factories/world';

describe('revocable tokens and single-use export links', () => {
  let t: TestApp;
  let w: World;

  beforeAll(async () => {
    t = await createTestApp({ AUTH_DEV_LOGIN: 'true' }, { clock: new FakeClock(Date.parse('2026-11-27T02:00:00Z')) });
    w = await buildWorld(t.database, t.clock.now());
  });
  afterAll(() => t.close());

  const login = async (openid: string) => {
    const r = await t.http.post('/api/auth/dev-login', { openid });
    expect(r.status).toBe(200);
    return r.body as { token: string; expiresAt: string; user: { id: number } };
  };
  const me = (token: string) => t.http.get('/api/me', token);
  const version = async (userId: number) => Number((await t.database.dataSource.query(`SELECT token_version AS v FROM app_user WHERE id = ?`, [userId]))[0].v);

  it('puts the version in the token, and renews a live token under it', async () => {
    const a = await login('tok-renew');
    expect(jwt.decode(a.token)).toMatchObject({ sub: String(a.user.id), ver: 0 });
    t.clock.advance(3600_000);
    const r = await t.http.post('/api/auth/refresh', {}, a.token);
    expect(r.status).toBe(200);
    expect(r.body.user.id).toBe(a.user.id);
    // A full lifetime from now, not from the first login.
    expect(Date.parse(r.body.expiresAt)).toBe(Math.floor(t.clock.now().getTime() / 1000) * 1000 + t.config.jwt.ttlSeconds * 1000);
    expect(Date.parse(r.body.expiresAt)).toBeGreaterThan(Date.parse(a.expiresAt));
    // Both work until the first one expires; then only the renewed one.
    expect((await me(a.token)).status).toBe(200);
    t.clock.set(new Date(Date.parse(a.expiresAt) + 1000));
    expect((await me(a.token)).body.code).toBe('TOKEN_EXPIRED');
    expect((await me(r.body.token)).status).toBe(200);
    // An expired token cannot be renewed (the mini-program logs in again with wx.login).
    expect((await t.http.post('/api/auth/refresh', {}, a.token)).body.code).toBe('TOKEN_EXPIRED');
  });

  it('logout revokes every token of the user at once, on every device; logging in again works', async () => {
    const phone = await login('tok-logout');
    const tablet = await login('tok-logout');
    expect((await me(phone.token)).status).toBe(200);
    const out = await t.http.post('/api/auth/logout', {}, phone.token);
    expect(out.status).toBe(204);
    expect(await version(phone.user.id)).toBe(1);
    for (const token of [phone.token, tablet.token]) {
      const r = await me(token);
      expect(r.status).toBe(401);
      expect(r.body.code).toBe('TOKEN_REVOKED');
    }
    // Neither logout nor renewal with a revoked token does anything.
    expect((await t.http.post('/api/auth/logout', {}, tablet.token)).status).toBe(401);
    expect((await t.http.post('/api/auth/refresh', {}, tablet.token)).status).toBe(401);
    expect(await version(phone.user.id)).toBe(1);
    const again = await login('tok-logout');
    expect(jwt.decode(again.token)).toMatchObject({ ver: 1 });
    expect((await me(again.token)).status).toBe(200);
  });

  it('accepts tokens issued before versions existed (no ver) as version 0, until the first logout', async () => {
    const a = await login('tok-legacy');
    const legacy = jwt.sign({ sub: String(a.user.id), iat: Math.floor(t.clock.now().getTime() / 1000), exp: Math.floor(t.clock.now().getTime() / 1000) + 600 }, t.config.jwt.secret, { algorithm: 'HS256' });
    expect((await me(legacy)).status).toBe(200);
    await t.http.post('/api/auth/logout', {}, a.token);
    expect((await me(legacy)).body.code).toBe('TOKEN_REVOKED');
  });

  it('refuses forged or odd versions', async () => {
    const a = await login('tok-forged');
    const now = Math.floor(t.clock.now().getTime() / 1000);
    const sign = (ver: unknown) => jwt.sign({ sub: String(a.user.id), ver, iat: now, exp: now + 600 }, t.config.jwt.secret, { algorithm: 'HS256' });
    expect((await me(sign(5))).body.code).toBe('TOKEN_REVOKED');
    expect((await me(sign(-1))).body.code).toBe('UNAUTHENTICATED');
    expect((await me(sign('x'))).body.code).toBe('UNAUTHENTICATED');
    expect((await me(sign(1.5))).body.code).toBe('UNAUTHENTICATED');
    // Signed with another key: not ours.
    expect((await me(jwt.sign({ sub: String(a.user.id), ver: 0, iat: now, exp: now + 600 }, 'another-secret-of-sufficient-length-000', { algorithm: 'HS256' }))).body.code).toBe('UNAUTHENTICATED');
  });

  describe('export links', () => {
    const link = async (token: string) => {
      const r = await t.http.post('/api/ledger/export-links', { format: 'csv', communityId: w.communityA }, token);
      expect(r.status).toBe(200);
      return r.body.url as string;
    };

    it('work once: the second download is 410 EXPORT_LINK_USED, and writes no second access-log row', async () => {
      const url = await link(t.tokenFor(w.users.staff));
      const first = await fetch(t.baseUrl + url);
      expect(first.status).toBe(200);
      await first.text();
      const logged = Number((await t.database.dataSource.query(`SELECT COUNT(*) AS n FROM pi_access WHERE purpose = 'export'`))[0].n);
      const second = await fetch(t.baseUrl + url);
      expect(second.status).toBe(410);
      expect(((await second.json()) as { code: string }).code).toBe('EXPORT_LINK_USED');
      expect(Number((await t.database.dataSource.query(`SELECT COUNT(*) AS n FROM pi_access WHERE purpose = 'export'`))[0].n)).toBe(logged);
    });

    it('two downloads of one link at the same moment: exactly one gets the file', async () => {
      const url = await link(t.tokenFor(w.users.staff));
      const answers = await Promise.all([fetch(t.baseUrl + url), fetch(t.baseUrl + url), fetch(t.baseUrl + url)]);
      await Promise.all(answers.map((a) => a.text()));
      expect(answers.map((a) => a.status).sort()).toEqual([200, 410, 410]);
    });

    it('die with the session: after logout an unused link is 410 EXPORT_LINK_INVALID', async () => {
      const s = await t.http.post('/api/auth/dev-login', { openid: 'tok-export-staff' });
      // Give this person the community's admin grant through the database, as the world does.
      await t.database.dataSource.query(`INSERT INTO role_grant (user_id, role, org_id, granted_by, granted_at) VALUES (?, 'community_admin', ?, NULL, ?)`, [
        s.body.user.id,
        w.communityA,
        t.database.time(t.clock.now()),
      ]);
      const url = await link(s.body.token);
      await t.http.post('/api/auth/logout', {}, s.body.token);
      const r = await fetch(t.baseUrl + url);
      expect(r.status).toBe(410);
      expect(((await r.json()) as { code: string }).code).toBe('EXPORT_LINK_INVALID');
    });
  });
});
