import { ERROR_MESSAGES_ZH, PRIVACY_NOTICE_VERSION, type ErrorCode } from '@xinyuan/shared';
import { createTestApp, type TestApp } from '../create-test-app';
import { FakeWechat, wxSession } from '../fakes/fake-wechat';

const APPID = 'wx0123456789abcdef';
const SECRET = 'fake-wechat-secret-0123456789abcdef';
const TIMEOUT_MS = 300;

let fake: FakeWechat;

beforeAll(async () => {
  fake = await FakeWechat.start({ appId: APPID, secret: SECRET });
});
afterAll(() => fake.close());

async function userCount(t: TestApp): Promise<number> {
  const rows: { n: number | string }[] = await t.database.dataSource.query('SELECT COUNT(*) AS n FROM app_user');
  return Number(rows[0].n);
}

/** Is this text anywhere in the database (every row of every table)? */
async function storedAnywhere(t: TestApp, text: string): Promise<boolean> {
  const ds = t.database.dataSource;
  const tables: string[] = t.database.isSqlite
    ? (await ds.query(`SELECT name FROM sqlite_master WHERE type = 'table'`)).map((r: any) => r.name)
    : (await ds.query(`SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()`)).map((r: any) => r.name);
  for (const table of tables) if (JSON.stringify(await ds.query(`SELECT * FROM \`${table}\``)).includes(text)) return true;
  return false;
}


// A person with no grants is a resident: they may submit (for themselves or someone who consented) and nothing else (access.ts).
const no = { allowed: false, orgs: [] };
const NEW_PERSON = {
  submit: { allowed: true, orgs: [] },
  submit_on_behalf: no,
  wall: no,
  review_queue: no,
  registrations: no,
  ledger: no,
  export: no,
  rates: no,
  funds: no,
  red_list: no,
  spend_community: no,
  spend_street: no,
  budget: no,
  dispatch_policy: no,
  access_log: no,
  // 投诉举报 desk: the committee and the staff above it only (a new person files reports, answers none).
  reports: no,
  // Issue 15: the paired unit's and the street's desks, and the community office phone (its committee's).
  unit_desk: no,
  street_desk: no,
  office_phone: no,
};

describe('auth (WeChat configured, dev login on)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ WECHAT_APPID: APPID, WECHAT_SECRET: SECRET, WECHAT_API_BASE: fake.url, WECHAT_TIMEOUT_MS: String(TIMEOUT_MS), AUTH_DEV_LOGIN: 'true' });
  });
  afterAll(() => t.close());
  beforeEach(() => fake.reset());

  describe('POST /api/auth/wechat', () => {
    it('trades a wx.login code for a token that works on /api/me', async () => {
      const before = await userCount(t);
      const r = await t.http.post('/api/auth/wechat', { code: 'good-alice' });
      expect(r.status).toBe(200);
      expect(r.body).toEqual({
        token: expect.any(String),
        expiresAt: expect.any(String),
        user: { id: expect.any(Number), nickname: null, roles: [], abilities: NEW_PERSON, consent: null, consentRequired: true, privacyNoticeVersion: PRIVACY_NOTICE_VERSION },
      });
      expect(Date.parse(r.body.expiresAt)).toBe((Math.floor(t.clock.now().getTime() / 1000) + t.config.jwt.ttlSeconds) * 1000);
      expect(await userCount(t)).toBe(before + 1);

      // What WeChat received: the documented code2Session query.
      const calls = fake.requestsTo('/sns/jscode2session');
      expect(calls).toHaveLength(1);
      expect(calls[0].method).toBe('GET');
      expect(calls[0].query).toEqual({ appid: APPID, secret: SECRET, js_code: 'good-alice', grant_type: 'authorization_code' });

      const me = await t.http.get('/api/me', r.body.token);
      expect(me.status).toBe(200);
      expect(me.body.id).toBe(r.body.user.id);

      // The session_key is neither kept (nothing needs it) nor sent back.
      expect(fake.issuedSessionKeys).toHaveLength(1);
      const sessionKey = fake.issuedSessionKeys[0];
      expect(await storedAnywhere(t, sessionKey)).toBe(false);
      for (const body of [r.body, me.body]) {
        const text = JSON.stringify(body);
        expect(text).not.toContain(sessionKey);
        expect(text).not.toMatch(/session_?key/i);
        expect(text).not.toContain(SECRET);
      }
    });

    it('logs the same WeChat user into the same account, keeping the unionid (and no session_key)', async () => {
      const first = await t.http.post('/api/auth/wechat', { code: 'good-bob' });
      expect(first.status).toBe(200);
      const count = await userCount(t);
      fake.script('bob-again', wxSession('bob', { unionid: 'union-bob', sessionKey: 'bXlzZWNyZXRzZXNzaW9ua2V5' }));
      const second = await t.http.post('/api/auth/wechat', { code: 'bob-again' });
      expect(second.status).toBe(200);
      expect(second.body.user.id).toBe(first.body.user.id);
      expect(second.body.token).toEqual(expect.any(String));
      expect(await userCount(t)).toBe(count);
      expect(await storedAnywhere(t, 'bXlzZWNyZXRzZXNzaW9ua2V5')).toBe(false);
      expect(JSON.stringify(second.body)).not.toContain('bXlzZWNyZXRzZXNzaW9ua2V5');
      const rows: { unionid: string | null }[] = await t.database.dataSource.query('SELECT unionid FROM app_user WHERE id = ?', [first.body.user.id]);
      expect(rows[0].unionid).toBe('union-bob');
      const me = await t.http.get('/api/me', second.body.token);
      expect(me.status).toBe(200);
      expect(me.body.id).toBe(first.body.user.id);
    });

    it('refuses a code that was already used', async () => {
      expect((await t.http.post('/api/auth/wechat', { code: 'good-carol' })).status).toBe(200);
      const again = await t.http.post('/api/auth/wechat', { code: 'good-carol' });
      expect(again.status).toBe(400);
      expect(again.body.code).toBe('WECHAT_CODE_INVALID');
    });

    const failures: [string, string, number, ErrorCode][] = [
      ['invalid', 'errcode 40029 (invalid code)', 400, 'WECHAT_CODE_INVALID'],
      ['used', 'errcode 40163 (code been used)', 400, 'WECHAT_CODE_INVALID'],
      ['ratelimit', 'errcode 45011 (rate limit)', 429, 'WECHAT_RATE_LIMITED'],
      ['blocked', 'errcode 40226 (user blocked)', 403, 'WECHAT_USER_BLOCKED'],
      ['busy', 'errcode -1 (system busy)', 503, 'WECHAT_UNAVAILABLE'],
      ['weird', 'an errcode nobody handles', 503, 'WECHAT_UNAVAILABLE'],
      ['html', 'a 502 HTML page', 503, 'WECHAT_UNAVAILABLE'],
      ['error500', 'HTTP 500', 503, 'WECHAT_UNAVAILABLE'],
      ['notjson', 'a 200 that is not JSON', 503, 'WECHAT_UNAVAILABLE'],
      ['jsonarray', 'JSON that is not an object', 503, 'WECHAT_UNAVAILABLE'],
      ['no-openid', 'a success without openid', 503, 'WECHAT_UNAVAILABLE'],
      ['hangup', 'a dropped connection', 503, 'WECHAT_UNAVAILABLE'],
      ['some-code-wechat-never-issued', 'an unknown code', 400, 'WECHAT_CODE_INVALID'],
    ];
    it.each(failures)('code "%s": WeChat answers %s → %i %s, and no user is created', async (code, _what, status, errorCode) => {
      const before = await userCount(t);
      const r = await t.http.post('/api/auth/wechat', { code });
      expect(r.status).toBe(status);
      expect(r.body).toEqual({ code: errorCode, message: ERROR_MESSAGES_ZH[errorCode], requestId: expect.any(String) });
      expect(fake.requestsTo('/sns/jscode2session')).toHaveLength(1);
      expect(await userCount(t)).toBe(before);
    });

    it('gives up after WECHAT_TIMEOUT_MS with 503, and creates no user', async () => {
      const before = await userCount(t);
      const started = Date.now();
      const r = await t.http.post('/api/auth/wechat', { code: 'slow' });
      const elapsed = Date.now() - started;
      expect(r.status).toBe(503);
      expect(r.body.code).toBe('WECHAT_UNAVAILABLE');
      expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
      expect(elapsed).toBeLessThan(2500); // the fake answers only after 3 s
      expect(await userCount(t)).toBe(before);
    });

    it.each([
      ['no code', {}],
      ['an unknown extra field', { code: 'good-dave', extra: 1 }],
      ['a code that is not a string', { code: 12345 }],
      ['an empty code', { code: '' }],
      ['a code with spaces', { code: 'good dave' }],
      ['a code that is too long', { code: 'x'.repeat(129) }],
    ])('refuses a body with %s (400 VALIDATION_FAILED) without calling WeChat', async (_what, body) => {
      const before = await userCount(t);
      const r = await t.http.post('/api/auth/wechat', body);
      expect(r.status).toBe(400);
      expect(r.body.code).toBe('VALIDATION_FAILED');
      expect(r.body.details).toEqual(expect.arrayContaining([expect.any(String)]));
      expect(fake.requests).toHaveLength(0);
      expect(await userCount(t)).toBe(before);
    });

    it('refuses a body that is not JSON with 400 VALIDATION_FAILED', async () => {
      const r = await t.http.request('POST', '/api/auth/wechat', { raw: '{"code":', headers: { 'content-type': 'application/json' } });
      expect(r.status).toBe(400);
      expect(r.body.code).toBe('VALIDATION_FAILED');
      expect(fake.requests).toHaveLength(0);
    });
  });

  describe('POST /api/auth/dev-login', () => {
    it('logs in by openid, creating the user once', async () => {
      const before = await userCount(t);
      const r = await t.http.post('/api/auth/dev-login', { openid: 'dev-dora_1' });
      expect(r.status).toBe(200);
      expect(r.body).toEqual({
        token: expect.any(String),
        expiresAt: expect.any(String),
        user: { id: expect.any(Number), nickname: null, roles: [], abilities: NEW_PERSON, consent: null, consentRequired: true, privacyNoticeVersion: PRIVACY_NOTICE_VERSION },
      });
      expect(await userCount(t)).toBe(before + 1);
      const me = await t.http.get('/api/me', r.body.token);
      expect(me.status).toBe(200);
      expect(me.body.id).toBe(r.body.user.id);

      const again = await t.http.post('/api/auth/dev-login', { openid: 'dev-dora_1' });
      expect(again.status).toBe(200);
      expect(again.body.user.id).toBe(r.body.user.id);
      expect(await userCount(t)).toBe(before + 1);
      expect(fake.requests).toHaveLength(0);
    });

    it('reaches the same account as a WeChat login with that openid', async () => {
      const wx = await t.http.post('/api/auth/wechat', { code: 'good-erin' });
      expect(wx.status).toBe(200);
      const dev = await t.http.post('/api/auth/dev-login', { openid: 'erin' });
      expect(dev.status).toBe(200);
      expect(dev.body.user.id).toBe(wx.body.user.id);
    });

    it.each([
      ['no openid', {}],
      ['an empty openid', { openid: '' }],
      ['an openid with a space', { openid: 'dev dora' }],
      ['an openid with other characters', { openid: "dora'; DROP TABLE app_user; --" }],
      ['an openid longer than 64', { openid: 'a'.repeat(65) }],
      ['an openid that is not a string', { openid: 42 }],
      ['an unknown extra field', { openid: 'dev-frank', admin: true }],
    ])('refuses %s with 400 VALIDATION_FAILED', async (_what, body) => {
      const before = await userCount(t);
      const r = await t.http.post('/api/auth/dev-login', body);
      expect(r.status).toBe(400);
      expect(r.body.code).toBe('VALIDATION_FAILED');
      expect(await userCount(t)).toBe(before);
    });

    it('accepts an openid of exactly 64 characters', async () => {
      const r = await t.http.post('/api/auth/dev-login', { openid: 'o'.repeat(64) });
      expect(r.status).toBe(200);
    });
  });

  describe('token expiry', () => {
    it('accepts a token until its expiry, then answers 401 TOKEN_EXPIRED', async () => {
      const saved = t.clock.now();
      try {
        const login = await t.http.post('/api/auth/dev-login', { openid: 'dev-expiring' });
        expect(login.status).toBe(200);
        const ttlMs = t.config.jwt.ttlSeconds * 1000;

        t.clock.advance(ttlMs - 5000);
        expect((await t.http.get('/api/me', login.body.token)).status).toBe(200);

        t.clock.advance(10_000);
        expect(t.clock.now().getTime()).toBeGreaterThan(Date.parse(login.body.expiresAt));
        const expired = await t.http.get('/api/me', login.body.token);
        expect(expired.status).toBe(401);
        expect(expired.body.code).toBe('TOKEN_EXPIRED');

        // Logging in again gives a fresh token.
        const fresh = await t.http.post('/api/auth/dev-login', { openid: 'dev-expiring' });
        expect(fresh.status).toBe(200);
        expect((await t.http.get('/api/me', fresh.body.token)).status).toBe(200);
      } finally {
        t.clock.set(saved);
      }
    });
  });
});

describe('auth (WeChat not configured, dev login off)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ WECHAT_API_BASE: fake.url });
  });
  afterAll(() => t.close());
  beforeEach(() => fake.reset());

  it('answers dev login with 404 DEV_LOGIN_DISABLED, whatever the body', async () => {
    for (const body of [{ openid: 'dev-dora' }, {}, { openid: 'not valid!' }]) {
      const r = await t.http.post('/api/auth/dev-login', body);
      expect(r.status).toBe(404);
      expect(r.body).toEqual({ code: 'DEV_LOGIN_DISABLED', message: ERROR_MESSAGES_ZH.DEV_LOGIN_DISABLED, requestId: expect.any(String) });
    }
    expect(await userCount(t)).toBe(0);
  });

  it('answers WeChat login with 503 WECHAT_UNAVAILABLE saying it is not configured, without calling WeChat', async () => {
    const r = await t.http.post('/api/auth/wechat', { code: 'good-alice' });
    expect(r.status).toBe(503);
    expect(r.body.code).toBe('WECHAT_UNAVAILABLE');
    expect(r.body.message).toMatch(/not configured/);
    expect(r.body.message).toMatch(/未配置/);
    expect(fake.requests).toHaveLength(0);
    expect(await userCount(t)).toBe(0);
  });
});
