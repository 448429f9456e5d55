// Configuration is read from the environment once, at boot, and validated here.
// Nothing else reads process.env.
import { randomBytes } from 'node:crypto';
import { NOTICE_KINDS, type NoticeKind } from '@xinyuan/shared';
import { configureWorkTime } from '../common/time';
import { IDEMPOTENCY_TTL_HOURS } from '@xinyuan/shared';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { PHOTO_UPLOAD } from '@xinyuan/shared';

export type DbDriver = 'sqlite' | 'mysql' | 'mariadb';

export interface AppConfig {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  dataDir: string;
  database:
    | { driver: 'sqlite'; file: string }
    | {
        driver: 'mysql' | 'mariadb' | 'detect';
        url: string;
        poolSize: number;
        /** Nodes to switch to, in order, when the current one refuses connections or is not ready (DATABASE_FAILOVER_URLS). */
        failoverUrls: string[];
        /** A node for long reads (ledger pages, exports, dashboards), DATABASE_READ_URL; null: the primary. */
        readUrl: string | null;
        /** A new connection that has not finished its handshake after this long fails (DB_CONNECT_TIMEOUT_MS). */
        connectTimeoutMs: number;
        /** A query the server has not answered after this long fails, and its connection is dropped (DB_QUERY_TIMEOUT_MS). */
        queryTimeoutMs: number;
      };
  jwt: { secret: string; ttlSeconds: number };
  wechat: {
    appId: string | null;
    secret: string | null;
    apiBase: string;
    timeoutMs: number;
    /** The message-push Token of the WeChat console (服务器配置 of 消息推送); null: the push endpoint answers 404. */
    pushToken: string | null;
    /** The 32-byte key behind the console's EncodingAESKey (43 characters), for the safe (encrypted) push mode; null: plain mode only. */
    pushAesKey: Buffer | null;
    /**
     * Photos' asynchronous media check (mediaCheckAsync). On when WeChat, PUBLIC_BASE_URL and
     * WECHAT_PUSH_TOKEN are all configured (WeChat must fetch the photo and push the result);
     * off otherwise, and photos are then stored `unchecked` and shown.
     */
    mediaCheck: {
      enabled: boolean;
      /** Run the submission/retry job in this process (tests call it themselves). */
      jobEnabled: boolean;
      intervalMs: number;
      /** No result this long after a submission: submit again (a new trace id). */
      resubmitAfterMinutes: number;
      /** No result this long after the upload: give up, the photo becomes `unchecked` (shown, marked for staff). */
      giveUpHours: number;
    };
  };
  /** Where WeChat (and people) reach this server from outside, e.g. https://xinyuan.example.cn; photo URLs sent to WeChat are made on it. */
  publicBaseUrl: string | null;
  devLogin: boolean;
  seedDemo: boolean;
  maxActiveClaims: number;
  uploadMaxBytes: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** The built H5 mini-program, served at "/" when the directory exists. */
  webDir: string;
  dispatch: {
    /** Run the sweeper on a timer in this process (tests call sweepOnce themselves). */
    enabled: boolean;
    intervalMs: number;
    batchSize: number;
    /** Sweep loops side by side in this process on MySQL/MariaDB (SKIP LOCKED keeps them apart); SQLite runs one. */
    loops: number;
    /** Working hours on the official calendar, minutes after local midnight. */
    workStartMinute: number;
    workEndMinute: number;
    /** Offset of the working-time zone from UTC, in minutes (Asia/Shanghai: +480). */
    utcOffsetMinutes: number;
    /** A claimed wish past its fulfilment window returns to the pool after this many hours. */
    overdueGraceHours: number;
    /** A completed wish the resident does not confirm is resolved after this many days. */
    autoConfirmDays: number;
    /** Wishes waiting in review longer than this many days are a backlog the committee hears of, once a day. */
    reviewBacklogDays: number;
  };
  notify: {
    enabled: boolean;
    intervalMs: number;
    maxAttempts: number;
    /** WeChat subscribe-message template ids per kind of notice; unset kinds go to the inbox only. */
    templates: Partial<Record<NoticeKind, string>>;
    miniprogramState: 'formal' | 'trial' | 'developer';
  };
  /**
   * The personal-information handler the privacy notice names (PIPL Art. 17): who runs the
   * service and how to reach them for rights requests and complaints. Null where unset: the
   * notice then points to the resident's community.
   */
  operator: { name: string | null; contact: string | null };
  /** Personal information at rest and its lifetime (PIPL). */
  privacy: {
    /** AES-256-GCM keys by id: the active one encrypts, every one decrypts. */
    keys: { id: string; key: Buffer }[];
    activeKeyId: string;
    /** HMAC-SHA256 key of the equality lookups (phone numbers). */
    hashKey: Buffer;
    /** Contact details of closed wishes are erased this many days after they closed. */
    retentionDays: number;
    /** Uploads never attached to a wish are deleted after this many hours. */
    orphanUploadHours: number;
    /** Run the retention jobs in this process, this often. */
    jobsEnabled: boolean;
    jobIntervalMs: number;
  };
  /** What one client may send, and how often. */
  limits: {
    /** Per-minute request limits (per user, and per address before login); off in most tests. */
    rateLimits: boolean;
    perMinute: { login: number; submit: number; upload: number; registration: number; export: number };
    /** Wishes one person may have submitted that nobody has taken up yet (waiting for review, or open); staff filing for residents are not capped. */
    pendingWishesPerUser: number;
    /** Uploads one person may leave unattached per day. */
    unattachedUploadsPerDay: number;
    /** JSON bodies: bytes and nesting depth, checked while parsing. */
    jsonBodyBytes: number;
    jsonDepth: number;
  };
  /** Idempotency keys (header Idempotency-Key) on creates and moves: common/idempotency. */
  idempotency: {
    /** A key's first answer is kept this many hours (IDEMPOTENCY_TTL_HOURS, default 24). */
    ttlHours: number;
    /** A first attempt that neither answered nor wrote anything for this long (a crash) lets the key be used again. */
    leaseSeconds: number;
    /** Run the purge of expired keys in this process, this often. */
    purgeEnabled: boolean;
    purgeIntervalMs: number;
  };
  /** Interval jobs (dispatch sweep, notices, retention...) across instances: common/jobs/job-lease.ts. */
  jobs: {
    /** JOB_LEASE: run each job in one instance at a time under a lease in the database (on), never (off), or on a Galera node only (auto). */
    lease: 'auto' | 'on' | 'off';
    /** JOB_LEASE_TTL_MS: a lease not renewed for this long (its holder died) is taken over. */
    leaseTtlMs: number;
  };
  /** Serve the API documents at /api/docs. */
  apiDocs: boolean;
  /**
   * Which proxies' X-Forwarded-For to believe for the client's address (rate limits, logs):
   * false (none: the socket's address), true (any), a hop count, or a list of addresses/CIDRs.
   */
  trustProxy: boolean | number | string;
  /** Outages of the database: answered 503 with Retry-After, never a 500 or a hang (README, "Health and outages"). */
  resilience: {
    /** A request with no answer after this long gets 503 DB_UNAVAILABLE (uploads excepted: their body is the slow part). */
    requestTimeoutMs: number;
    /** The Retry-After (seconds) of every 503. */
    retryAfterSeconds: number;
    /** GET /api/health/ready waits this long for the database before answering 503. */
    readyTimeoutMs: number;
    /** With failover nodes: how often the node in use (and the preferred ones before it) are checked. */
    failoverCheckMs: number;
    /** On SIGTERM, readiness answers 503 SHUTTING_DOWN this long while requests are still served, so a load balancer takes the instance out first. */
    shutdownDrainMs: number;
    /**
     * Readiness answers 503 CLOCK_SKEW when this instance's clock and its database's differ by
     * more than this (MySQL/MariaDB; 0: not checked). Deadlines are stamped by the instance's clock.
     */
    clockSkewMaxMs: number;
  };
}

/** The kinds of notice (one list, in @xinyuan/shared): WECHAT_TEMPLATE_<KIND> per kind. */
export { NOTICE_KINDS, type NoticeKind };

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

export interface LoadOptions {
  /** The demo start: dev login and demo data on, a generated JWT secret kept in DATA_DIR. */
  demo?: boolean;
  cwd?: string;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function loadConfig(env: Env, opts: LoadOptions = {}): AppConfig {
  const problems: string[] = [];
  const cwd = opts.cwd ?? process.cwd();

  const str = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const int = (name: string, def: number, min: number, max: number): number => {
    const v = str(name);
    if (v === undefined) return def;
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
      problems.push(`${name} must be an integer from ${min} to ${max} (got "${v}")`);
      return def;
    }
    return Number(v);
  };
  const bool = (name: string, def: boolean): boolean => {
    const v = str(name);
    if (v === undefined) return def;
    const l = v.toLowerCase();
    if (['1', 'true', 'on', 'yes'].includes(l)) return true;
    if (['0', 'false', 'off', 'no'].includes(l)) return false;
    problems.push(`${name} must be one of true/false/on/off/1/0 (got "${v}")`);
    return def;
  };
  const url = (name: string, def: string | undefined, schemes: string[]): string | undefined => {
    const v = str(name) ?? def;
    if (v === undefined) return undefined;
    try {
      const u = new URL(v);
      if (!schemes.includes(u.protocol.replace(/:$/, ''))) {
        problems.push(`${name} must use one of ${schemes.map((s) => s + '://').join(', ')} (got "${u.protocol}")`);
      }
    } catch {
      problems.push(`${name} is not a valid URL`);
    }
    return v;
  };

  const nodeEnv = str('NODE_ENV') ?? 'development';
  if (!['development', 'production', 'test'].includes(nodeEnv)) {
    problems.push(`NODE_ENV must be development, production or test (got "${nodeEnv}")`);
  }
  const env_ = (['development', 'production', 'test'].includes(nodeEnv) ? nodeEnv : 'development') as AppConfig['env'];

  const port = int('PORT', 3000, 0, 65535);
  const host = str('HOST') ?? '0.0.0.0';
  const dataDirRaw = str('DATA_DIR') ?? 'data';
  const dataDir = isAbsolute(dataDirRaw) ? dataDirRaw : resolve(cwd, dataDirRaw);

  const dbUrl = url('DATABASE_URL', undefined, ['mysql', 'mariadb']);
  const poolSize = int('DB_POOL_SIZE', 10, 1, 500);
  const failoverUrls = (str('DATABASE_FAILOVER_URLS') ?? '').split(',').map((u) => u.trim()).filter(Boolean);
  failoverUrls.forEach((u, i) => {
    const scheme = /^([a-z]+):\/\//.exec(u)?.[1];
    let ok = scheme === 'mysql' || scheme === 'mariadb';
    try {
      new URL(u);
    } catch {
      ok = false;
    }
    if (!ok) problems.push(`DATABASE_FAILOVER_URLS: entry ${i + 1} must be a mysql:// or mariadb:// URL`);
  });
  const readUrl = url('DATABASE_READ_URL', undefined, ['mysql', 'mariadb']) ?? null;
  if (!dbUrl && (failoverUrls.length || readUrl)) problems.push('DATABASE_FAILOVER_URLS and DATABASE_READ_URL need DATABASE_URL (SQLite has one file, no nodes)');
  const connectTimeoutMs = int('DB_CONNECT_TIMEOUT_MS', 3000, 100, 60_000);
  const queryTimeoutMs = int('DB_QUERY_TIMEOUT_MS', 10_000, 100, 600_000);
  const database: AppConfig['database'] = dbUrl
    ? { driver: dbUrl.startsWith('mariadb:') ? 'mariadb' : 'detect', url: dbUrl, poolSize, failoverUrls, readUrl, connectTimeoutMs, queryTimeoutMs }
    : { driver: 'sqlite', file: join(dataDir, 'xinyuan.sqlite') };
  const resilience = {
    requestTimeoutMs: int('REQUEST_TIMEOUT_MS', 15_000, 100, 600_000),
    retryAfterSeconds: int('RETRY_AFTER_SECONDS', 5, 1, 3600),
    readyTimeoutMs: int('READY_TIMEOUT_MS', 2000, 100, 60_000),
    failoverCheckMs: int('DB_FAILOVER_CHECK_MS', 5000, 100, 3_600_000),
    shutdownDrainMs: int('SHUTDOWN_DRAIN_MS', 0, 0, 120_000),
    clockSkewMaxMs: int('CLOCK_SKEW_MAX_MS', 2000, 0, 3_600_000),
  };

  const devLogin = bool('AUTH_DEV_LOGIN', !!opts.demo);
  const seedDemo = bool('SEED_DEMO', !!opts.demo);

  let jwtSecret = str('JWT_SECRET');
  if (jwtSecret === undefined && opts.demo) jwtSecret = demoSecret(dataDir);
  if (jwtSecret === undefined) problems.push('JWT_SECRET is required (at least 32 characters)');
  else if (jwtSecret.length < 32) problems.push('JWT_SECRET must be at least 32 characters');
  const ttl = int('JWT_TTL_SECONDS', 2 * 3600, 60, 90 * 24 * 3600);

  const appId = str('WECHAT_APPID') ?? null;
  const wxSecret = str('WECHAT_SECRET') ?? null;
  if (appId !== null && !/^wx[0-9a-f]{16}$/i.test(appId)) problems.push(`WECHAT_APPID must look like wx followed by 16 hex digits (got "${appId}")`);
  if ((appId === null) !== (wxSecret === null)) problems.push('WECHAT_APPID and WECHAT_SECRET must be set together');
  if (env_ === 'production' && appId === null) problems.push('WECHAT_APPID and WECHAT_SECRET are required when NODE_ENV=production');
  if (env_ === 'production' && devLogin) problems.push('AUTH_DEV_LOGIN must be off when NODE_ENV=production');
  const apiBase = url('WECHAT_API_BASE', 'https://api.weixin.qq.com', ['http', 'https'])!;
  const wxTimeout = int('WECHAT_TIMEOUT_MS', 5000, 100, 60000);
  const pushToken = str('WECHAT_PUSH_TOKEN') ?? null;
  // The console allows 3-32 letters and digits.
  if (pushToken !== null && !/^[A-Za-z0-9]{3,32}$/.test(pushToken)) problems.push('WECHAT_PUSH_TOKEN must be 3 to 32 letters or digits, as the WeChat console sets it');
  const aesRaw = str('WECHAT_PUSH_AES_KEY');
  let pushAesKey: Buffer | null = null;
  if (aesRaw !== undefined) {
    const k = /^[A-Za-z0-9]{43}$/.test(aesRaw) ? Buffer.from(aesRaw + '=', 'base64') : null;
    if (!k || k.length !== 32) problems.push('WECHAT_PUSH_AES_KEY must be the 43-character EncodingAESKey of the WeChat console');
    else pushAesKey = k;
    if (pushToken === null) problems.push('WECHAT_PUSH_AES_KEY needs WECHAT_PUSH_TOKEN');
  }
  const publicBaseUrl = url('PUBLIC_BASE_URL', undefined, ['http', 'https'])?.replace(/\/+$/, '') ?? null;
  const mediaCheck = {
    enabled: appId !== null && publicBaseUrl !== null && pushToken !== null,
    jobEnabled: bool('MEDIA_CHECK_JOB_ENABLED', true),
    intervalMs: int('MEDIA_CHECK_INTERVAL_MS', 60_000, 100, 3_600_000),
    resubmitAfterMinutes: int('MEDIA_CHECK_RESUBMIT_MINUTES', 60, 1, 24 * 60),
    giveUpHours: int('MEDIA_CHECK_GIVE_UP_HOURS', 24, 1, 24 * 30),
  };

  const maxActiveClaims = int('MAX_ACTIVE_CLAIMS', 3, 1, 100);
  const uploadMaxBytes = int('UPLOAD_MAX_BYTES', PHOTO_UPLOAD.maxBytes, 1024, 50 * 1024 * 1024);
  const logLevel = (str('LOG_LEVEL') ?? 'info') as AppConfig['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${logLevel}")`);

  const webDirRaw = str('WEB_DIR');
  // Default: the H5 build of the workspace's mini-program, next to this package.
  const webDir = webDirRaw ? (isAbsolute(webDirRaw) ? webDirRaw : resolve(cwd, webDirRaw)) : resolve(__dirname, '..', '..', '..', 'miniapp', 'dist', 'h5');
  const hours = str('WORK_HOURS') ?? '09:00-18:00';
  const hm = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/.exec(hours);
  const workStartMinute = hm ? Number(hm[1]) * 60 + Number(hm[2]) : 540;
  const workEndMinute = hm ? Number(hm[3]) * 60 + Number(hm[4]) : 1080;
  if (!hm || workEndMinute <= workStartMinute || workEndMinute > 1440) problems.push(`WORK_HOURS must look like 09:00-18:00 with the end after the start (got "${hours}")`);
  const tz = str('WORK_TIMEZONE') ?? 'Asia/Shanghai';
  const utcOffsetMinutes = tz === 'Asia/Shanghai' ? 480 : parseOffset(tz);
  if (utcOffsetMinutes === null) problems.push(`WORK_TIMEZONE must be Asia/Shanghai or a fixed offset like +08:00 (got "${tz}")`);
  const dispatch = {
    enabled: bool('DISPATCH_ENABLED', true),
    intervalMs: int('DISPATCH_INTERVAL_MS', 30_000, 100, 3_600_000),
    batchSize: int('DISPATCH_BATCH_SIZE', 1000, 1, 20_000),
    loops: int('DISPATCH_LOOPS', 2, 1, 16),
    workStartMinute,
    workEndMinute,
    utcOffsetMinutes: utcOffsetMinutes ?? 480,
    overdueGraceHours: int('OVERDUE_GRACE_HOURS', 48, 0, 24 * 90),
    autoConfirmDays: int('AUTO_CONFIRM_DAYS', 7, 1, 90),
    reviewBacklogDays: int('REVIEW_BACKLOG_DAYS', 7, 1, 90),
  };
  const templates: Partial<Record<NoticeKind, string>> = {};
  for (const k of NOTICE_KINDS) {
    const v = str(`WECHAT_TEMPLATE_${k.toUpperCase()}`);
    if (v !== undefined) {
      if (!/^[A-Za-z0-9_-]{10,64}$/.test(v)) problems.push(`WECHAT_TEMPLATE_${k.toUpperCase()} is not a template id`);
      templates[k] = v;
    }
  }
  const mpState = (str('WECHAT_MINIPROGRAM_STATE') ?? 'formal') as AppConfig['notify']['miniprogramState'];
  if (!['formal', 'trial', 'developer'].includes(mpState)) problems.push(`WECHAT_MINIPROGRAM_STATE must be formal, trial or developer (got "${mpState}")`);
  const notify = {
    enabled: bool('NOTIFY_ENABLED', true),
    intervalMs: int('NOTIFY_INTERVAL_MS', 5_000, 100, 3_600_000),
    maxAttempts: int('NOTIFY_MAX_ATTEMPTS', 6, 1, 50),
    templates,
    miniprogramState: mpState,
  };

  const line = (name: string, max: number): string | null => {
    const v = str(name);
    if (v === undefined) return null;
    if (Array.from(v).length > max || /[\u0000-\u001f\u007f]/.test(v)) {
      problems.push(`${name} must be one line of at most ${max} characters`);
      return null;
    }
    return v;
  };
  const operator = { name: line('OPERATOR_NAME', 60), contact: line('OPERATOR_CONTACT', 100) };

  // Personal information at rest: a key ring "id:base64,id:base64" (the first encrypts) and a lookup-hash key.
  const demoKeys = opts.demo && str('PII_KEYS') === undefined ? demoPrivacyKeys(dataDir) : undefined;
  const keyRing = parseKeyRing(str('PII_KEYS') ?? demoKeys?.keys, problems);
  const hashKey = parseKey('PII_HASH_KEY', str('PII_HASH_KEY') ?? demoKeys?.hash, problems);
  const privacy = {
    keys: keyRing,
    activeKeyId: keyRing[0]?.id ?? '',
    hashKey: hashKey ?? Buffer.alloc(32),
    retentionDays: int('RETENTION_DAYS', 180, 1, 3650),
    orphanUploadHours: int('UPLOAD_ORPHAN_HOURS', 24, 1, 24 * 30),
    jobsEnabled: bool('PRIVACY_JOBS_ENABLED', true),
    jobIntervalMs: int('PRIVACY_JOB_INTERVAL_MS', 3_600_000, 1000, 86_400_000),
  };
  const limits = {
    rateLimits: bool('RATE_LIMIT_ENABLED', true),
    perMinute: {
      login: int('RATE_LIMIT_LOGIN_PER_MIN', 60, 1, 100_000),
      submit: int('RATE_LIMIT_SUBMIT_PER_MIN', 10, 1, 100_000),
      upload: int('RATE_LIMIT_UPLOAD_PER_MIN', 30, 1, 100_000),
      registration: int('RATE_LIMIT_REGISTRATION_PER_MIN', 5, 1, 100_000),
      export: int('RATE_LIMIT_EXPORT_PER_MIN', 10, 1, 100_000),
    },
    pendingWishesPerUser: int('QUOTA_PENDING_WISHES', 10, 1, 100_000),
    unattachedUploadsPerDay: int('QUOTA_UNATTACHED_UPLOADS', 30, 1, 100_000),
    jsonBodyBytes: int('JSON_BODY_LIMIT_BYTES', 64 * 1024, 1024, 1024 * 1024),
    jsonDepth: int('JSON_MAX_DEPTH', 16, 2, 256),
  };
  const idempotency = {
    ttlHours: int('IDEMPOTENCY_TTL_HOURS', IDEMPOTENCY_TTL_HOURS, 1, 24 * 30),
    leaseSeconds: int('IDEMPOTENCY_LEASE_SECONDS', 60, 5, 3600),
    purgeEnabled: bool('IDEMPOTENCY_PURGE_ENABLED', true),
    purgeIntervalMs: int('IDEMPOTENCY_PURGE_INTERVAL_MS', 3_600_000, 1000, 86_400_000),
  };
  const leaseMode = (str('JOB_LEASE') ?? 'auto').toLowerCase() as AppConfig['jobs']['lease'];
  if (!['auto', 'on', 'off'].includes(leaseMode)) problems.push(`JOB_LEASE must be auto, on or off (got "${str('JOB_LEASE')}")`);
  const jobs = { lease: leaseMode, leaseTtlMs: int('JOB_LEASE_TTL_MS', 30_000, 1000, 3_600_000) };
  const apiDocs = bool('API_DOCS', !!opts.demo);
  const trustProxyRaw = str('TRUST_PROXY');
  let trustProxy: boolean | number | string = false;
  if (trustProxyRaw !== undefined) {
    const l = trustProxyRaw.toLowerCase();
    if (['1', 'true', 'on', 'yes'].includes(l)) trustProxy = true;
    else if (['0', 'false', 'off', 'no'].includes(l)) trustProxy = false;
    else if (/^hops:\d{1,2}$/.test(l)) trustProxy = Number(l.slice(5));
    else if (trustProxyRaw.split(',').every((a) => /^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(a.trim()))) trustProxy = trustProxyRaw;
    else problems.push(`TRUST_PROXY must be true/false, hops:N, or a comma-separated list of proxy addresses or CIDRs (got "${trustProxyRaw}")`);
  }

  if (problems.length) throw new ConfigError(problems);
  // Every local day, month and stamp the process computes uses this zone (common/time.ts).
  configureWorkTime(dispatch.utcOffsetMinutes);
  return {
    env: env_,
    host,
    port,
    dataDir,
    database,
    jwt: { secret: jwtSecret!, ttlSeconds: ttl },
    wechat: { appId, secret: wxSecret, apiBase: apiBase.replace(/\/+$/, ''), timeoutMs: wxTimeout, pushToken, pushAesKey, mediaCheck },
    publicBaseUrl,
    devLogin,
    seedDemo,
    maxActiveClaims,
    uploadMaxBytes,
    logLevel,
    webDir,
    dispatch,
    notify,
    operator,
    privacy,
    limits,
    idempotency,
    jobs,
    apiDocs,
    trustProxy,
    resilience,
  };
}

const KEY_ID = /^[A-Za-z0-9_-]{1,16}$/;

/** "id:base64,id:base64": AES-256 keys of 32 bytes each, ids unique; the first one encrypts. */
function parseKeyRing(v: string | undefined, problems: string[]): { id: string; key: Buffer }[] {
  if (v === undefined) {
    problems.push('PII_KEYS is required: one or more "id:base64" AES-256 keys (32 bytes each), the first one active; e.g. PII_KEYS=2026a:$(openssl rand -base64 32)');
    return [];
  }
  const ring: { id: string; key: Buffer }[] = [];
  for (const part of v.split(',').map((x) => x.trim()).filter(Boolean)) {
    const i = part.indexOf(':');
    const id = i > 0 ? part.slice(0, i) : '';
    const key = i > 0 ? Buffer.from(part.slice(i + 1), 'base64') : Buffer.alloc(0);
    if (!KEY_ID.test(id)) problems.push(`PII_KEYS: key id "${id.slice(0, 20)}" must be 1-16 letters, digits, _ or -`);
    else if (key.length !== 32) problems.push(`PII_KEYS: key "${id}" must be 32 bytes in base64 (got ${key.length})`);
    else if (ring.some((k) => k.id === id)) problems.push(`PII_KEYS: key id "${id}" is listed twice`);
    else ring.push({ id, key });
  }
  if (ring.length === 0 && !problems.some((p) => p.startsWith('PII_KEYS'))) problems.push('PII_KEYS lists no key');
  return ring;
}

function parseKey(name: string, v: string | undefined, problems: string[]): Buffer | undefined {
  if (v === undefined) {
    problems.push(`${name} is required: 32 bytes in base64, e.g. ${name}=$(openssl rand -base64 32)`);
    return undefined;
  }
  const key = Buffer.from(v, 'base64');
  if (key.length !== 32) problems.push(`${name} must be 32 bytes in base64 (got ${key.length})`);
  return key;
}

/** The demo start keeps generated privacy keys per data dir (readable by the server's user only). */
function demoPrivacyKeys(dataDir: string): { keys: string; hash: string } {
  const file = join(dataDir, '.demo-pii-keys.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as { keys: string; hash: string };
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const keys = { keys: `demo:${randomBytes(32).toString('base64')}`, hash: randomBytes(32).toString('base64') };
  writeFileSync(file, JSON.stringify(keys), { mode: 0o600 });
  return keys;
}

function parseOffset(s: string): number | null {
  const m = /^(UTC)?([+-])(\d{2}):?(\d{2})$/.exec(s);
  if (!m) return null;
  const v = Number(m[3]) * 60 + Number(m[4]);
  return v > 14 * 60 ? null : (m[2] === '-' ? -v : v);
}

/** The demo start keeps one generated secret per data dir so tokens survive restarts. */
function demoSecret(dataDir: string): string {
  const file = join(dataDir, '.demo-jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/**
 * Random keys for tools that never read or write personal information (migrations, the OpenAPI
 * document, benchmarks): what they encrypt could never be read again, which is the point.
 */
export function throwawayPrivacyEnv(): { PII_KEYS: string; PII_HASH_KEY: string } {
  return { PII_KEYS: `throwaway:${randomBytes(32).toString('base64')}`, PII_HASH_KEY: randomBytes(32).toString('base64') };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
