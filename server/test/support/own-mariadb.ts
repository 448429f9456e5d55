// A throwaway MariaDB server of a test's own: a temp datadir, a free loopback port, run as the
// mysql user. Tests kill, stop (SIGSTOP) and restart it; the shared server on 3306 is never touched.
// Used by the resilience tests (health, failover, timeouts) and the fault scripts of bench:day.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface OwnMariaDb {
  port: number;
  dir: string;
  /** mariadb://root@127.0.0.1:<port>/<database> */
  url(database?: string): string;
  /** The server's process id (changes on restart). */
  readonly pid: number;
  /** Creates a database (utf8mb4) on this server. */
  createDatabase(name: string): Promise<void>;
  /** SIGKILL: the server is gone at once, connections reset. */
  kill(): Promise<void>;
  /** SIGSTOP (resolves once every thread has stopped) / SIGCONT: the server still accepts TCP (the kernel does) but never answers. */
  stop(): Promise<void>;
  cont(): void;
  /** Starts the server again on the same port and datadir (after kill). */
  start(): Promise<void>;
  /** Kills the server and removes its directory. */
  destroy(): Promise<void>;
}

const MYSQL_UID = Number(spawnSync('id', ['-u', 'mysql']).stdout.toString().trim());
const MYSQL_GID = Number(spawnSync('id', ['-g', 'mysql']).stdout.toString().trim());

/** A free TCP port on loopback (asked of the kernel, then released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

async function waitUntilUp(port: number, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const mysql = await import('mysql2/promise');
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`own mariadbd exited with ${child.exitCode}`);
    try {
      const c = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root', connectTimeout: 1000 });
      await c.end();
      return;
    } catch (e) {
      if (Date.now() > until) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** Starts a fresh MariaDB server in a temp dir on a free port (about 3-8 s here). */
export async function startOwnMariaDb(opts: { port?: number; bufferPool?: string } = {}): Promise<OwnMariaDb> {
  const dir = mkdtempSync(join(tmpdir(), 'xy-own-mariadb-'));
  chmodSync(dir, 0o755);
  const datadir = join(dir, 'data');
  mkdirSync(datadir);
  chownSync(dir, MYSQL_UID, MYSQL_GID);
  chownSync(datadir, MYSQL_UID, MYSQL_GID);
  const port = opts.port ?? (await freePort());
  const cnf = join(dir, 'my.cnf');
  const conf = [
    '[mariadbd]',
    `datadir=${datadir}`,
    `socket=${join(dir, 'mysqld.sock')}`,
    `pid-file=${join(dir, 'mysqld.pid')}`,
    `port=${port}`,
    'bind-address=127.0.0.1',
    'skip-name-resolve',
    `innodb_buffer_pool_size=${opts.bufferPool ?? '32M'}`,
    'innodb_log_file_size=16M',
    'performance_schema=OFF',
    'skip-log-bin',
    '',
  ].join('\n');
  writeFileSync(cnf, conf, { mode: 0o644 });
  const init = spawnSync('mariadb-install-db', [`--defaults-file=${cnf}`, '--user=mysql', '--auth-root-authentication-method=normal', '--skip-test-db'], { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`mariadb-install-db failed: ${init.stderr}`);

  let child: ChildProcess;
  const launch = async () => {
    child = spawn('/usr/sbin/mariadbd', [`--defaults-file=${cnf}`, '--user=mysql', `--log-error=${join(dir, 'error.log')}`], { stdio: 'ignore' });
    await waitUntilUp(port, child);
  };
  await launch();
  const exited = () => new Promise<void>((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())));

  const handle: OwnMariaDb = {
    port,
    dir,
    url: (database = '') => `mariadb://root@127.0.0.1:${port}/${database}`,
    get pid() {
      return child.pid!;
    },
    async createDatabase(name) {
      const mysql = await import('mysql2/promise');
      const c = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root' });
      await c.query(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
      await c.end();
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      process.kill(child.pid!, 'SIGCONT');
      child.kill('SIGKILL');
      await exited();
    },
    async stop() {
      process.kill(child.pid!, 'SIGSTOP');
      // The group stop reaches mariadbd's threads one by one: a query sent at once could still be answered.
      const tasks = `/proc/${child.pid}/task`;
      const until = Date.now() + 5000;
      const running = (id: string) => {
        try {
          return !/^\d+ \(.*\) [tT] /.test(readFileSync(`${tasks}/${id}/stat`, 'utf8'));
        } catch {
          return false; // the thread has ended
        }
      };
      while (readdirSync(tasks).some(running)) {
        if (Date.now() > until) throw new Error('own mariadbd did not stop');
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    cont: () => void process.kill(child.pid!, 'SIGCONT'),
    start: launch,
    async destroy() {
      await handle.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return handle;
}
