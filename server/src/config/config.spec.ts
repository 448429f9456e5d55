import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config';

const SECRET = 'a-jwt-secret-that-is-long-enough-0123';
/** Keys of the personal-information key ring and the lookup hash (32 bytes each, base64). */
const KEY_A = Buffer.alloc(32, 1).toString('base64');
const KEY_B = Buffer.alloc(32, 2).toString('base64');
const HASH = Buffer.alloc(32, 3).toString('base64');
const KEYS = { PII_KEYS: `a:${KEY_A}`, PII_HASH_KEY: HASH };
const APPID = 'wx0123456789abcdef';

/** The problems loadConfig reports for env; fails the test when it does not throw. */
function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env, { cwd: '/srv/xinyuan' });
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    const err = e as ConfigError;
    for (const p of err.problems) expect(err.message).toContain(p);
    return err.problems;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'xinyuan-config-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('fills in the defaults', () => {
    const c = loadConfig({ ...KEYS, JWT_SECRET: SECRET }, { cwd: tmp });
    expect(c).toEqual({
      env: 'development',
      host: '0.0.0.0',
      port: 3000,
      dataDir: join(tmp, 'data'),
      database: { driver: 'sqlite', file: join(tmp, 'data', 'xinyuan.sqlite') },
      jwt: { secret: SECRET, ttlSeconds: 2 * 3600 },
      wechat: {
        appId: null,
        secret: null,
        apiBase: 'https://api.weixin.qq.com',
        timeoutMs: 5000,
        pushToken: null,
        pushAesKey: null,
        mediaCheck: { enabled: false, jobEnabled: true, intervalMs: 60000, resubmitAfterMinutes: 60, giveUpHours: 24 },
      },
      publicBaseUrl: null,
      devLogin: false,
      seedDemo: false,
      maxActiveClaims: 3,
      uploadMaxBytes: 5 * 1024 * 1024,
      logLevel: 'info',
      webDir: expect.stringMatching(/miniapp\/dist\/h5$/),
      dispatch: { enabled: true, intervalMs: 30_000, batchSize: 1000, loops: 2, workStartMinute: 540, workEndMinute: 1080, utcOffsetMinutes: 480, overdueGraceHours: 48, autoConfirmDays: 7, reviewBacklogDays: 7 },
      notify: { enabled: true, intervalMs: 5_000, maxAttempts: 6, templates: {}, miniprogramState: 'formal' },
      operator: { name: null, contact: null },
      privacy: { keys: [{ id: 'a', key: Buffer.alloc(32, 1) }], activeKeyId: 'a', hashKey: Buffer.alloc(32, 3), retentionDays: 180, orphanUploadHours: 24, jobsEnabled: true, jobIntervalMs: 3_600_000 },
      idempotency: { ttlHours: 24, leaseSeconds: 60, purgeEnabled: true, purgeIntervalMs: 3_600_000 },
      jobs: { lease: 'auto', leaseTtlMs: 30000 },
      limits: {
        rateLimits: true,
        perMinute: { login: 60, submit: 10, upload: 30, registration: 5, export: 10 },
        pendingWishesPerUser: 10,
        unattachedUploadsPerDay: 30,
        jsonBodyBytes: 64 * 1024,
        jsonDepth: 16,
      },
      apiDocs: false,
      trustProxy: false,
      resilience: { requestTimeoutMs: 15_000, retryAfterSeconds: 5, readyTimeoutMs: 2000, failoverCheckMs: 5000, shutdownDrainMs: 0, clockSkewMaxMs: 2000 },
    });
    // Loading alone writes nothing.
    expect(existsSync(join(tmp, 'data'))).toBe(false);
  });

  it('reads every setting it is given, trimming blanks and trailing slashes', () => {
    const c = loadConfig(
      {
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: '8080',
        DATA_DIR: 'var/data',
        ...KEYS,
        JWT_SECRET: `  ${SECRET}  `,
        JWT_TTL_SECONDS: '3600',
        WECHAT_APPID: APPID,
        WECHAT_SECRET: 'wechat-secret',
        WECHAT_API_BASE: 'http://127.0.0.1:9999/wx/',
        WECHAT_TIMEOUT_MS: '1500',
        AUTH_DEV_LOGIN: 'off',
        SEED_DEMO: '0',
        MAX_ACTIVE_CLAIMS: '5',
        UPLOAD_MAX_BYTES: '2048',
        LOG_LEVEL: 'warn',
        OPERATOR_NAME: '西宁市城中区人民街街道党工委',
        OPERATOR_CONTACT: '0971-8123456，xinyuan@example.gov.cn',
      },
      { cwd: tmp },
    );
    expect(c).toMatchObject({
      env: 'production',
      operator: { name: '西宁市城中区人民街街道党工委', contact: '0971-8123456，xinyuan@example.gov.cn' },
      host: '127.0.0.1',
      port: 8080,
      dataDir: join(tmp, 'var/data'),
      jwt: { secret: SECRET, ttlSeconds: 3600 },
      wechat: { appId: APPID, secret: 'wechat-secret', apiBase: 'http://127.0.0.1:9999/wx', timeoutMs: 1500 },
      devLogin: false,
      seedDemo: false,
      maxActiveClaims: 5,
      uploadMaxBytes: 2048,
      logLevel: 'warn',
    });
  });

  it('treats blank values as unset', () => {
    const c = loadConfig({ ...KEYS, JWT_SECRET: SECRET, PORT: '  ', WECHAT_APPID: '', WECHAT_SECRET: ' ', LOG_LEVEL: '' }, { cwd: tmp });
    expect(c.port).toBe(3000);
    expect(c.wechat.appId).toBeNull();
    expect(c.wechat.secret).toBeNull();
    expect(c.logLevel).toBe('info');
  });

  it('reads the message push and turns the media check on only with WeChat, a public address and a push token', () => {
    const base = { ...KEYS, JWT_SECRET: SECRET, WECHAT_APPID: APPID, WECHAT_SECRET: 's' };
    const aes = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
    const c = loadConfig({ ...base, WECHAT_PUSH_TOKEN: 'xinyuanToken', WECHAT_PUSH_AES_KEY: aes, PUBLIC_BASE_URL: 'https://xy.example.cn/' }, { cwd: tmp });
    expect(c.publicBaseUrl).toBe('https://xy.example.cn');
    expect(c.wechat.pushToken).toBe('xinyuanToken');
    expect(c.wechat.pushAesKey).toEqual(Buffer.from(aes + '=', 'base64'));
    expect(c.wechat.pushAesKey).toHaveLength(32);
    expect(c.wechat.mediaCheck.enabled).toBe(true);
    expect(loadConfig({ ...base, WECHAT_PUSH_TOKEN: 'xinyuanToken' }, { cwd: tmp }).wechat.mediaCheck.enabled).toBe(false);
    expect(loadConfig({ ...base, PUBLIC_BASE_URL: 'https://xy.example.cn' }, { cwd: tmp }).wechat.mediaCheck.enabled).toBe(false);
    expect(loadConfig({ ...KEYS, JWT_SECRET: SECRET, WECHAT_PUSH_TOKEN: 'xinyuanToken', PUBLIC_BASE_URL: 'https://xy.example.cn' }, { cwd: tmp }).wechat.mediaCheck.enabled).toBe(false);
    expect(problemsOf({ ...base, WECHAT_PUSH_TOKEN: 'has space' })).toEqual([expect.stringContaining('WECHAT_PUSH_TOKEN must be 3 to 32 letters or digits')]);
    expect(problemsOf({ ...base, WECHAT_PUSH_TOKEN: 'tok', WECHAT_PUSH_AES_KEY: 'short' })).toEqual([expect.stringContaining('WECHAT_PUSH_AES_KEY must be the 43-character EncodingAESKey')]);
    expect(problemsOf({ ...base, WECHAT_PUSH_AES_KEY: aes })).toEqual(['WECHAT_PUSH_AES_KEY needs WECHAT_PUSH_TOKEN']);
    expect(problemsOf({ ...base, PUBLIC_BASE_URL: 'ftp://x' })).toEqual([expect.stringContaining('PUBLIC_BASE_URL must use one of')]);
  });

  it('keeps an absolute DATA_DIR as it is', () => {
    const c = loadConfig({ ...KEYS, JWT_SECRET: SECRET, DATA_DIR: '/var/lib/xinyuan' }, { cwd: tmp });
    expect(c.dataDir).toBe('/var/lib/xinyuan');
    expect(c.database).toEqual({ driver: 'sqlite', file: '/var/lib/xinyuan/xinyuan.sqlite' });
  });

  it('reads working hours, zone and templates, and names what is malformed', () => {
    const c = loadConfig({ ...KEYS, JWT_SECRET: SECRET, WORK_HOURS: '08:30-17:30', WORK_TIMEZONE: '+07:00', WECHAT_TEMPLATE_CLAIMED: 'tmplClaimed_0123456789' }, { cwd: tmp });
    expect(c.dispatch).toMatchObject({ workStartMinute: 510, workEndMinute: 1050, utcOffsetMinutes: 420 });
    expect(c.notify.templates).toEqual({ claimed: 'tmplClaimed_0123456789' });
    for (const [name, value] of [['WORK_HOURS', '18:00-09:00'], ['WORK_TIMEZONE', 'Mars/Olympus'], ['WECHAT_TEMPLATE_OVERDUE', 'bad id!'], ['DISPATCH_INTERVAL_MS', '5'], ['DISPATCH_LOOPS', '0'], ['WECHAT_MINIPROGRAM_STATE', 'beta']]) {
      expect(() => loadConfig({ ...KEYS, JWT_SECRET: SECRET, [name]: value }, { cwd: tmp })).toThrow(name);
    }
  });

  describe('database URL', () => {
    it('mysql:// leaves the flavour to be detected', () => {
      const c = loadConfig({ ...KEYS, JWT_SECRET: SECRET, DATABASE_URL: 'mysql://app:pw@db.internal:3307/xinyuan' }, { cwd: tmp });
      expect(c.database).toEqual({ driver: 'detect', url: 'mysql://app:pw@db.internal:3307/xinyuan', poolSize: 10, failoverUrls: [], readUrl: null, connectTimeoutMs: 3000, queryTimeoutMs: 10_000 });
    });

    it('mariadb:// says MariaDB, and DB_POOL_SIZE sets the pool', () => {
      const c = loadConfig({ ...KEYS, JWT_SECRET: SECRET, DATABASE_URL: 'mariadb://root@127.0.0.1:3306/xinyuan', DB_POOL_SIZE: '25' }, { cwd: tmp });
      expect(c.database).toEqual({ driver: 'mariadb', url: 'mariadb://root@127.0.0.1:3306/xinyuan', poolSize: 25, failoverUrls: [], readUrl: null, connectTimeoutMs: 3000, queryTimeoutMs: 10_000 });
    });

    it('reads the failover nodes in order, the read node and the timeouts', () => {
      const c = loadConfig(
        {
          ...KEYS,
          JWT_SECRET: SECRET,
          DATABASE_URL: 'mariadb://app:pw@10.0.0.1:3306/xinyuan',
          DATABASE_FAILOVER_URLS: ' mariadb://app:pw@10.0.0.2:3306/xinyuan , mysql://app:pw@10.0.0.3/xinyuan,',
          DATABASE_READ_URL: 'mariadb://reader:pw@10.0.0.3:3306/xinyuan',
          DB_CONNECT_TIMEOUT_MS: '1500',
          DB_QUERY_TIMEOUT_MS: '30000',
          REQUEST_TIMEOUT_MS: '45000',
          RETRY_AFTER_SECONDS: '10',
          READY_TIMEOUT_MS: '500',
          DB_FAILOVER_CHECK_MS: '2000',
          SHUTDOWN_DRAIN_MS: '6000',
          CLOCK_SKEW_MAX_MS: '500',
        },
        { cwd: tmp },
      );
      expect(c.database).toEqual({
        driver: 'mariadb',
        url: 'mariadb://app:pw@10.0.0.1:3306/xinyuan',
        poolSize: 10,
        failoverUrls: ['mariadb://app:pw@10.0.0.2:3306/xinyuan', 'mysql://app:pw@10.0.0.3/xinyuan'],
        readUrl: 'mariadb://reader:pw@10.0.0.3:3306/xinyuan',
        connectTimeoutMs: 1500,
        queryTimeoutMs: 30_000,
      });
      expect(c.resilience).toEqual({ requestTimeoutMs: 45_000, retryAfterSeconds: 10, readyTimeoutMs: 500, failoverCheckMs: 2000, shutdownDrainMs: 6000, clockSkewMaxMs: 500 });
    });

    it('refuses failover or read nodes without DATABASE_URL, and entries that are not MySQL URLs', () => {
      expect(problemsOf({ ...KEYS, JWT_SECRET: SECRET, DATABASE_FAILOVER_URLS: 'mariadb://db2/x' })).toEqual([
        'DATABASE_FAILOVER_URLS and DATABASE_READ_URL need DATABASE_URL (SQLite has one file, no nodes)',
      ]);
      expect(problemsOf({ ...KEYS, JWT_SECRET: SECRET, DATABASE_READ_URL: 'mariadb://db3/x' })).toEqual([
        'DATABASE_FAILOVER_URLS and DATABASE_READ_URL need DATABASE_URL (SQLite has one file, no nodes)',
      ]);
      expect(problemsOf({ ...KEYS, JWT_SECRET: SECRET, DATABASE_URL: 'mysql://db/x', DATABASE_FAILOVER_URLS: 'mysql://db2/x,postgres://db3/x,db4:3306' })).toEqual([
        'DATABASE_FAILOVER_URLS: entry 2 must be a mysql:// or mariadb:// URL',
        'DATABASE_FAILOVER_URLS: entry 3 must be a mysql:// or mariadb:// URL',
      ]);
      expect(problemsOf({ ...KEYS, JWT_SECRET: SECRET, DATABASE_URL: 'mysql://db/x', DATABASE_READ_URL: 'http://db3/x' })).toEqual([
        expect.stringMatching(/^DATABASE_READ_URL must use one of mysql:\/\/, mariadb:\/\//),
      ]);
    });

    it('refuses timeouts out of range', () => {
      expect(
        problemsOf({ ...KEYS, JWT_SECRET: SECRET, DB_CONNECT_TIMEOUT_MS: '50', DB_QUERY_TIMEOUT_MS: 'soon', REQUEST_TIMEOUT_MS: '0', RETRY_AFTER_SECONDS: '0', READY_TIMEOUT_MS: '99', DB_FAILOVER_CHECK_MS: '-5', SHUTDOWN_DRAIN_MS: '120001', CLOCK_SKEW_MAX_MS: '-1' }),
      ).toEqual([
        'DB_CONNECT_TIMEOUT_MS must be an integer from 100 to 60000 (got "50")',
        'DB_QUERY_TIMEOUT_MS must be an integer from 100 to 600000 (got "soon")',
        'REQUEST_TIMEOUT_MS must be an integer from 100 to 600000 (got "0")',
        'RETRY_AFTER_SECONDS must be an integer from 1 to 3600 (got "0")',
        'READY_TIMEOUT_MS must be an integer from 100 to 60000 (got "99")',
        'DB_FAILOVER_CHECK_MS must be an integer from 100 to 3600000 (got "-5")',
        'SHUTDOWN_DRAIN_MS must be an integer from 0 to 120000 (got "120001")',
        'CLOCK_SKEW_MAX_MS must be an integer from 0 to 3600000 (got "-1")',
      ]);
    });

    it('refuses another scheme, naming DATABASE_URL', () => {
      const problems = problemsOf({ ...KEYS, JWT_SECRET: SECRET, DATABASE_URL: 'postgres://db/xinyuan' });
      expect(problems).toEqual([expect.stringMatching(/^DATABASE_URL must use one of mysql:\/\/, mariadb:\/\/ .*postgres:/)]);
    });

    it('refuses something that is not a URL', () => {
      expect(problemsOf({ ...KEYS, JWT_SECRET: SECRET, DATABASE_URL: 'db.internal:3306' }).join('\n')).toMatch(/DATABASE_URL/);
      expect(problemsOf({ ...KEYS, JWT_SECRET: SECRET, DATABASE_URL: 'not a url' })).toEqual(['DATABASE_URL is not a valid URL']);
    });

    it('refuses a pool size out of range', () => {
      expect(problemsOf({ ...KEYS, JWT_SECRET: SECRET, DATABASE_URL: 'mysql://db/x', DB_POOL_SIZE: '0' })).toEqual([expect.stringContaining('DB_POOL_SIZE must be an integer from 1 to 500')]);
    });
  });

  describe('malformed values are named in the problems', () => {
    it.each([
      ['abc', 'PORT must be an integer from 0 to 65535 (got "abc")'],
      ['70000', 'PORT must be an integer from 0 to 65535 (got "70000")'],
      ['-1', 'PORT must be an integer from 0 to 65535 (got "-1")'],
      ['80.5', 'PORT must be an integer from 0 to 65535 (got "80.5")'],
    ])('PORT=%s', (port, problem) => {
      expect(problemsOf({ ...KEYS, JWT_SECRET: SECRET, PORT: port })).toEqual([problem]);
    });

    it('JWT_SECRET missing', () => {
      expect(problemsOf({ ...KEYS })).toEqual(['JWT_SECRET is required (at least 32 characters)']);
    });

    it('JWT_SECRET too short', () => {
      expect(problemsOf({ ...KEYS, JWT_SECRET: 'x'.repeat(31) })).toEqual(['JWT_SECRET must be at least 32 characters']);
      expect(loadConfig({ ...KEYS, JWT_SECRET: 'x'.repeat(32) }, { cwd: tmp }).jwt.secret).toBe('x'.repeat(32));
    });

    it('JWT_TTL_SECONDS out of range', () => {
      expect(problemsOf({ ...KEYS, JWT_SECRET: SECRET, JWT_TTL_SECONDS: '10' })).toEqual([expect.stringContaining('JWT_TTL_SECONDS must be an integer from 60 to')]);
    });

    it.each(['wx123', 'ab0123456789abcdef', 'wx0123456789abcdefg', 'wx0123456789abcdeg'])('WECHAT_APPID=%s', (appId) => {
      expect(problemsOf({ ...KEYS, JWT_SECRET: SECRET, WECHAT_APPID: appId, WECHAT_SECRET: 's' })).toEqual([`WECHAT_APPID must look like wx followed by 16 hex digits (got "${appId}")`]);
    });

    it('accepts an app id in upper-case hex', () => {
      expect(loadConfig({ ...KEYS, JWT_SECRET: SECRET, WECHAT_APPID: 'wx0123456789ABCDEF', WECHAT_SECRET: 's' }, { cwd: tmp }).wechat.appId).toBe('wx0123456789ABCDEF');
    });

    it('WECHAT_APPID without WECHAT_SECRET, and the other way round', () => {
      expect(problemsOf({ ...KEYS, JWT_SECRET: SECRET, WECHAT_APPID: APPID })).toEqual(['WECHAT_APPID and WECHAT_SECRET must be set together']);
      expect(problemsOf({ ...KEYS, JWT_SECRET: SECRET, WECHAT_SECRET: 'wechat-secret' })).toEqual(['WECHAT_APPID and WECHAT_SECRET must be set together']);
    });

    it('WECHAT_API_BASE not http(s), and WECHAT_TIMEOUT_MS out of range', () => {
      expect(problemsOf({ ...KEYS, JWT_SECRET: SECRET, WECHAT_API_BASE: 'ftp://api.weixin.qq.com' })).toEqual([expect.stringMatching(/^WECHAT_API_BASE must use one of http:\/\/, https:\/\//)]);
      expect(problemsOf({ ...KEYS, JWT_SECRET: SECRET, WECHAT_TIMEOUT_MS: '50' })).toEqual(['WECHAT_TIMEOUT_MS must be an integer from 100 to 60000 (got "50")']);
    });

    it('AUTH_DEV_LOGIN in production', () => {
      const problems = problemsOf({ ...KEYS, NODE_ENV: 'production', JWT_SECRET: SECRET, WECHAT_APPID: APPID, WECHAT_SECRET: 's', AUTH_DEV_LOGIN: 'true' });
      expect(problems).toEqual(['AUTH_DEV_LOGIN must be off when NODE_ENV=production']);
    });

    it('an operator name or contact that is not one short line', () => {
      expect(problemsOf({ ...KEYS, JWT_SECRET: SECRET, OPERATOR_NAME: '名'.repeat(61) })).toEqual(['OPERATOR_NAME must be one line of at most 60 characters']);
      expect(problemsOf({ ...KEYS, JWT_SECRET: SECRET, OPERATOR_CONTACT: '电话\n0971' })).toEqual(['OPERATOR_CONTACT must be one line of at most 100 characters']);
    });

    it('production without WeChat credentials', () => {
      expect(problemsOf({ ...KEYS, NODE_ENV: 'production', JWT_SECRET: SECRET })).toEqual(['WECHAT_APPID and WECHAT_SECRET are required when NODE_ENV=production']);
    });

    it('AUTH_DEV_LOGIN that is not a boolean', () => {
      expect(problemsOf({ ...KEYS, JWT_SECRET: SECRET, AUTH_DEV_LOGIN: 'maybe' })).toEqual(['AUTH_DEV_LOGIN must be one of true/false/on/off/1/0 (got "maybe")']);
    });

    it.each([
      ['yes', true],
      ['ON', true],
      ['1', true],
      ['no', false],
      ['False', false],
      ['0', false],
    ])('AUTH_DEV_LOGIN=%s reads as %s', (v, expected) => {
      expect(loadConfig({ ...KEYS, JWT_SECRET: SECRET, AUTH_DEV_LOGIN: v }, { cwd: tmp }).devLogin).toBe(expected);
    });

    it('LOG_LEVEL', () => {
      expect(problemsOf({ ...KEYS, JWT_SECRET: SECRET, LOG_LEVEL: 'loud' })).toEqual(['LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")']);
    });

    it('NODE_ENV', () => {
      expect(problemsOf({ ...KEYS, JWT_SECRET: SECRET, NODE_ENV: 'staging' })).toEqual(['NODE_ENV must be development, production or test (got "staging")']);
    });

    it('reports every problem at once', () => {
      const problems = problemsOf({ PORT: 'x', LOG_LEVEL: 'loud', WECHAT_APPID: 'nope', DATABASE_URL: 'postgres://db/x' });
      expect(problems).toHaveLength(8);
      for (const name of ['PORT', 'LOG_LEVEL', 'WECHAT_APPID must look like', 'WECHAT_APPID and WECHAT_SECRET', 'DATABASE_URL', 'JWT_SECRET', 'PII_KEYS', 'PII_HASH_KEY']) {
        expect(problems.some((p) => p.startsWith(name))).toBe(true);
      }
    });
  });

  describe('the keys of personal information', () => {
    it('reads a key ring whose first key encrypts, and the lookup key', () => {
      const c = loadConfig({ JWT_SECRET: SECRET, PII_KEYS: ` new:${KEY_B} , old:${KEY_A} `, PII_HASH_KEY: HASH }, { cwd: tmp });
      expect(c.privacy.activeKeyId).toBe('new');
      expect(c.privacy.keys.map((k) => [k.id, k.key.equals(Buffer.alloc(32, k.id === 'new' ? 2 : 1))])).toEqual([
        ['new', true],
        ['old', true],
      ]);
    });

    it('refuses to start without keys, with keys of the wrong size, or with an id twice (production too)', () => {
      expect(problemsOf({ JWT_SECRET: SECRET, PII_HASH_KEY: HASH })).toEqual([expect.stringMatching(/^PII_KEYS is required/)]);
      expect(problemsOf({ JWT_SECRET: SECRET, PII_KEYS: `a:${KEY_A}` })).toEqual([expect.stringMatching(/^PII_HASH_KEY is required/)]);
      expect(problemsOf({ JWT_SECRET: SECRET, PII_HASH_KEY: HASH, PII_KEYS: `a:${Buffer.alloc(16).toString('base64')}` })).toEqual(['PII_KEYS: key "a" must be 32 bytes in base64 (got 16)']);
      expect(problemsOf({ JWT_SECRET: SECRET, PII_HASH_KEY: HASH, PII_KEYS: `a:${KEY_A},a:${KEY_B}` })).toEqual(['PII_KEYS: key id "a" is listed twice']);
      expect(problemsOf({ JWT_SECRET: SECRET, PII_HASH_KEY: HASH, PII_KEYS: `bad id:${KEY_A}` })).toEqual([expect.stringMatching(/^PII_KEYS: key id "bad id"/)]);
      expect(problemsOf({ JWT_SECRET: SECRET, PII_HASH_KEY: 'c2hvcnQ=', PII_KEYS: `a:${KEY_A}` })).toEqual(['PII_HASH_KEY must be 32 bytes in base64 (got 5)']);
      expect(problemsOf({ NODE_ENV: 'production', JWT_SECRET: SECRET, WECHAT_APPID: APPID, WECHAT_SECRET: 's' }).map((p) => p.split(':')[0].split(' ')[0])).toEqual(['PII_KEYS', 'PII_HASH_KEY']);
    });
  });

  describe('the demo start', () => {
    it('turns on dev login and demo data and keeps a generated JWT secret in DATA_DIR', () => {
      const dataDir = join(tmp, 'demo-data');
      const c = loadConfig({ DATA_DIR: dataDir }, { demo: true, cwd: tmp });
      expect(c.devLogin).toBe(true);
      expect(c.seedDemo).toBe(true);
      expect(c.jwt.secret).toMatch(/^[0-9a-f]{64}$/);
      const file = join(dataDir, '.demo-jwt-secret');
      expect(readFileSync(file, 'utf8')).toBe(c.jwt.secret);
      expect(statSync(file).mode & 0o777).toBe(0o600);

      // The same secret on the next start, so tokens survive restarts.
      expect(loadConfig({ DATA_DIR: dataDir }, { demo: true, cwd: tmp }).jwt.secret).toBe(c.jwt.secret);
      // Another data dir, another secret.
      expect(loadConfig({ DATA_DIR: join(tmp, 'other') }, { demo: true, cwd: tmp }).jwt.secret).not.toBe(c.jwt.secret);
    });

    it('generates the privacy keys once per DATA_DIR, readable by the server only, and serves the API documents', () => {
      const dataDir = join(tmp, 'demo-keys');
      const c = loadConfig({ DATA_DIR: dataDir }, { demo: true, cwd: tmp });
      expect([c.privacy.activeKeyId, c.privacy.keys[0].key.length, c.privacy.hashKey.length, c.apiDocs]).toEqual(['demo', 32, 32, true]);
      expect(statSync(join(dataDir, '.demo-pii-keys.json')).mode & 0o777).toBe(0o600);
      const again = loadConfig({ DATA_DIR: dataDir }, { demo: true, cwd: tmp });
      expect(again.privacy.keys[0].key.equals(c.privacy.keys[0].key)).toBe(true);
      expect(again.privacy.hashKey.equals(c.privacy.hashKey)).toBe(true);
    });

    it('lets the environment override the demo defaults', () => {
      const c = loadConfig({ DATA_DIR: tmp, JWT_SECRET: SECRET, AUTH_DEV_LOGIN: 'false', SEED_DEMO: 'off' }, { demo: true, cwd: tmp });
      expect(c.jwt.secret).toBe(SECRET);
      expect(c.devLogin).toBe(false);
      expect(c.seedDemo).toBe(false);
      expect(existsSync(join(tmp, '.demo-jwt-secret'))).toBe(false);
    });

    it('still refuses dev login in production', () => {
      expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: tmp, WECHAT_APPID: APPID, WECHAT_SECRET: 's' }, { demo: true, cwd: tmp })).toThrow(
        /AUTH_DEV_LOGIN must be off when NODE_ENV=production/,
      );
    });
  });
  it('reads TRUST_PROXY as off, on, a hop count or a list of proxies, and refuses anything else', () => {
    const base = { JWT_SECRET: 'x'.repeat(32), PII_KEYS: `k:${Buffer.alloc(32, 1).toString('base64')}`, PII_HASH_KEY: Buffer.alloc(32, 2).toString('base64') };
    expect(loadConfig({ ...base }).trustProxy).toBe(false);
    expect(loadConfig({ ...base, TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ ...base, TRUST_PROXY: 'off' }).trustProxy).toBe(false);
    expect(loadConfig({ ...base, TRUST_PROXY: 'hops:2' }).trustProxy).toBe(2);
    expect(loadConfig({ ...base, TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toBe('10.0.0.0/8, 127.0.0.1');
    expect(() => loadConfig({ ...base, TRUST_PROXY: 'nginx' })).toThrow(/TRUST_PROXY/);
  });
  it('reads JOB_LEASE (auto unless told) and JOB_LEASE_TTL_MS, and refuses anything else', () => {
    const base = { JWT_SECRET: 'x'.repeat(32), PII_KEYS: `k:${Buffer.alloc(32, 1).toString('base64')}`, PII_HASH_KEY: Buffer.alloc(32, 2).toString('base64') };
    expect(loadConfig({ ...base }).jobs).toEqual({ lease: 'auto', leaseTtlMs: 30000 });
    expect(loadConfig({ ...base, JOB_LEASE: 'on', JOB_LEASE_TTL_MS: '5000' }).jobs).toEqual({ lease: 'on', leaseTtlMs: 5000 });
    expect(loadConfig({ ...base, JOB_LEASE: 'OFF' }).jobs.lease).toBe('off');
    expect(problemsOf({ ...base, JOB_LEASE: 'galera' })).toEqual(['JOB_LEASE must be auto, on or off (got "galera")']);
    expect(problemsOf({ ...base, JOB_LEASE_TTL_MS: '500' })).toEqual(['JOB_LEASE_TTL_MS must be an integer from 1000 to 3600000 (got "500")']);
  });
});
