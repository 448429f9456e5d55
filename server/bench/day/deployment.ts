// Starting (and killing, and restarting) a throwaway deployment for bench:day and the fault scripts:
// app instances as child processes (TypeScript through test/fakes/ts-register.js, no build step) on one
// SQLite data dir or one MySQL/MariaDB database, with the demo city, dev login, a fast dispatch policy,
// and a local fake WeChat server that counts subscribe messages per outbox notice.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FakeWechat } from '../../test/fakes/fake-wechat';
import { freePort } from '../../test/support/own-mariadb';
import { NOTICE_KINDS } from '@xinyuan/shared';

export const SERVER_DIR = resolve(__dirname, '..', '..');
const REGISTER = join(SERVER_DIR, 'test', 'fakes', 'ts-register.js');

/** Loopback only: bench:day and the fault scripts never send a request anywhere else. */
export function assertLoopback(url: string): void {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  const ok = host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
  if (!ok) throw new Error(`refusing ${url}: bench:day sends traffic to loopback addresses only (127.0.0.0/8, ::1, localhost)`);
}

export async function waitHealthy(base: string, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const end = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < end) {
    if (child && (child.exitCode !== null || child.signalCode !== null)) throw new Error(`${base}: the process exited (${child.exitCode ?? child.signalCode})`);
    try {
      const r = await fetch(`${base}/api/health`);
      if (r.ok) return;
      last = `HTTP ${r.status}`;
    } catch (e) {
      last = String(e);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${base} did not come up in ${timeoutMs} ms: ${last}`);
}

export interface Instance {
  port: number;
  base: string;
  child: ChildProcess;
  output(): string;
}

export interface DeploymentOptions {
  /** Unset: SQLite in the data dir. */
  databaseUrl?: string;
  instances: number;
  /** Sweeper wake-up (ms). */
  dispatchIntervalMs: number;
  notifyIntervalMs: number;
  /** Extra environment for the app (e.g. timeouts). */
  env?: Record<string, string>;
  /** Extra environment for instance i (e.g. which database node it uses first). */
  instanceEnv?: (i: number) => Record<string, string>;
  /** Keep the data dir (SQLite) after stop. */
  keepData?: boolean;
}

/** A deployment the bench started: it can kill and restart instances on the same data. */
export class Deployment {
  readonly dataDir = mkdtempSync(join(tmpdir(), 'xy-day-'));
  readonly instances: Instance[] = [];
  wechat!: FakeWechat;
  private readonly jwt = randomBytes(32).toString('hex');
  private readonly piiKeys = `day:${randomBytes(32).toString('base64')}`;
  private readonly piiHash = randomBytes(32).toString('base64');

  constructor(readonly opts: DeploymentOptions) {}

  get sqliteFile(): string | null {
    return this.opts.databaseUrl ? null : join(this.dataDir, 'xinyuan.sqlite');
  }

  templateId(kind: string): string {
    return `tmpl-day-${kind}`;
  }

  async start(): Promise<void> {
    this.wechat = await FakeWechat.start();
    for (let i = 0; i < this.opts.instances; i++) {
      const port = await freePort();
      // One at a time on first start: the first runs the migrations and the demo seed.
      this.instances.push(await this.spawn(port, i));
    }
  }

  env(port: number, i: number): NodeJS.ProcessEnv {
    const templates: Record<string, string> = {};
    for (const k of NOTICE_KINDS) if (k !== 'digest') templates[`WECHAT_TEMPLATE_${k.toUpperCase()}`] = this.templateId(k);
    return {
      PATH: process.env.PATH,
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: this.dataDir,
      ...(this.opts.databaseUrl ? { DATABASE_URL: this.opts.databaseUrl } : {}),
      JWT_SECRET: this.jwt,
      PII_KEYS: this.piiKeys,
      PII_HASH_KEY: this.piiHash,
      SEED_DEMO: 'true',
      AUTH_DEV_LOGIN: 'true',
      LOG_LEVEL: 'warn',
      WEB_DIR: join(this.dataDir, 'no-web'),
      WECHAT_APPID: 'wx0123456789abcdef',
      WECHAT_SECRET: 'day-secret',
      WECHAT_API_BASE: this.wechat.url,
      WECHAT_TIMEOUT_MS: '2000',
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      // Every simulated person comes from 127.0.0.1: per-address limits would throttle the whole town.
      RATE_LIMIT_ENABLED: 'false',
      // The bench's day runs around the clock (its working hours are the compressed day's).
      WORK_HOURS: '00:00-24:00',
      DISPATCH_INTERVAL_MS: String(this.opts.dispatchIntervalMs),
      NOTIFY_INTERVAL_MS: String(this.opts.notifyIntervalMs),
      MEDIA_CHECK_INTERVAL_MS: '5000',
      ...templates,
      ...this.opts.env,
      ...this.opts.instanceEnv?.(i),
    };
  }

  async spawn(port: number, i: number): Promise<Instance> {
    const child = spawn(process.execPath, ['-r', REGISTER, join(SERVER_DIR, 'src', 'main.ts')], {
      cwd: SERVER_DIR,
      env: this.env(port, i),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const keep = (d: Buffer) => {
      out += d.toString();
      if (out.length > 200_000) out = out.slice(-100_000);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const inst: Instance = { port, base: `http://127.0.0.1:${port}`, child, output: () => out };
    try {
      await waitHealthy(inst.base, 90_000, child);
    } catch (e) {
      child.kill('SIGKILL');
      throw new Error(`${(e as Error).message}\n${out.slice(-3000)}`);
    }
    return inst;
  }

  get bases(): string[] {
    return this.instances.map((i) => i.base);
  }

  /** SIGKILL instance i (no clean-up, as a crash); resolves when it is gone. */
  async kill(i: number): Promise<void> {
    const c = this.instances[i].child;
    if (c.exitCode !== null || c.signalCode !== null) return;
    const gone = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await gone;
  }

  /** Starts instance i again on the same port and data. */
  async restart(i: number): Promise<void> {
    this.instances[i] = await this.spawn(this.instances[i].port, i);
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.instances.map(async (inst) => {
        const c = inst.child;
        if (c.exitCode !== null || c.signalCode !== null) return;
        const gone = new Promise((r) => c.once('exit', r));
        c.kill('SIGTERM');
        const t = setTimeout(() => c.kill('SIGKILL'), 5000);
        await gone;
        clearTimeout(t);
      }),
    );
    await this.wechat?.close();
    if (!this.opts.keepData) rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** server/scripts/galera.sh on a cluster of the script's own: its own folder and ports (not the cluster tests' 3311). */
export class Galera {
  readonly env: NodeJS.ProcessEnv;
  /** The cluster's folder (GALERA_DIR): datadirs, sockets, logs. */
  readonly dir: string;
  constructor(
    readonly script: string,
    basePort: number,
    dirPrefix: string,
  ) {
    this.dir = join(tmpdir(), `${dirPrefix}-${process.pid}`);
    this.env = { ...process.env, GALERA_DIR: this.dir, GALERA_BASE_PORT: String(basePort) };
  }
  /**
   * Runs galera.sh without blocking this process: the load generator lives in the same event loop,
   * and a synchronous wait (a rejoin takes seconds) would count as the server's time in every
   * request in flight.
   */
  run(...args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile('bash', [this.script, ...args], { env: this.env, encoding: 'utf8', timeout: 240_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`galera.sh ${args.join(' ')} failed (${(err as { code?: unknown }).code}): ${stderr || stdout}`));
        else resolve(stdout);
      });
    });
  }
  /** mariadb:// URLs of the three nodes, for a database. */
  async urls(db: string): Promise<string[]> {
    return (await this.run('urls'))
      .trim()
      .split(/\s+/)
      .map((u) => u.replace(/^mysql:/, 'mariadb:').replace(/\/$/, `/${db}`));
  }
}
