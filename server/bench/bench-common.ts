// Helpers the benchmarks share: CPU probes read from /proc, number formatting, a mysql2 pool, knobs, start and stop.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { loadavg } from 'node:os';
import mysql, { type Pool } from 'mysql2/promise';
import { randomBytes } from 'node:crypto';
import type { AppConfig } from '../src/config/config';

/** The inodes of the sockets listening on a TCP port here (IPv4 and IPv6), from /proc/net. */
function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      // local_address is "ADDR:PORT" in hex; state 0A is LISTEN; the inode is the tenth field.
      if (f.length > 9 && f[1].endsWith(`:${hexPort}`) && f[3] === '0A') inodes.add(f[9]);
    }
  }
  return inodes;
}

/** The process that holds one of these socket inodes open, by its file descriptors (needs the right to read /proc/<pid>/fd). */
function pidHoldingSocket(inodes: Set<string>): string | null {
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target = '';
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(target);
      if (m && inodes.has(m[1])) return pid;
    }
  }
  return null;
}

/** The process listening on a TCP port of this machine; null when none is, or /proc cannot tell. */
export function pidListeningOn(port: number): string | null {
  return pidHoldingSocket(listeningInodes(port));
}

/** CPU seconds used so far by one process, from /proc/<pid>/stat (utime + stime, USER_HZ = 100 on Linux). */
export function processCpuProbe(pid: string | number): () => number {
  return () => {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  };
}

/**
 * CPU seconds used so far by the MariaDB/MySQL server the benchmark talks to: the
 * process listening on that port here (with a Galera cluster or a second server on the
 * machine, the first mariadbd in /proc may be another one). Null when the server is not
 * local, /proc cannot tell, or the listener is not a mariadbd/mysqld.
 */
export function dbCpuProbe(host: string, port: number): (() => number) | null {
  if (!['127.0.0.1', 'localhost', '::1'].includes(host)) return null;
  try {
    const pid = pidListeningOn(port);
    if (!pid) return null;
    const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    if (comm !== 'mariadbd' && comm !== 'mysqld') return null;
    const probe = processCpuProbe(pid);
    probe();
    return probe;
  } catch {
    /* not Linux */
    return null;
  }
}

export function fmt(n: number, digits: number): string {
  return Number.isFinite(n) ? n.toFixed(digits) : '-';
}

/** CPU seconds the whole machine has been busy (all cores), from /proc/stat; null when not Linux. */
export function machineCpuProbe(): (() => number) | null {
  const read = () => {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    return (f[0] + f[1] + f[2] + f[5] + f[6] + (f[7] ?? 0)) / 100; // user nice system irq softirq steal
  };
  try {
    read();
    return read;
  } catch {
    return null;
  }
}

/** A mysql2/promise pool set up like TypeORM's (charset, UTC, big numbers as numbers). */
export function mysqlPool(url: string, size: number): Pool {
  const u = new URL(url);
  return mysql.createPool({
    host: u.hostname,
    port: u.port ? Number(u.port) : 3306,
    user: decodeURIComponent(u.username || 'root'),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.replace(/^\//, '')) || undefined,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: false,
    stringifyObjects: true,
    connectionLimit: size,
  });
}

export function pct(x: number): string {
  return Number.isFinite(x) ? `${Math.round(x * 100)}%` : '-';
}

/** Readers of a benchmark's knobs: `--name=value` arguments first, then BENCH_NAME variables. */
export interface BenchKnobs {
  raw(name: string): string | undefined;
  int(name: string, def: number, min: number): number;
  flag(name: string, def: boolean): boolean;
}

export function benchKnobs(doc: string): BenchKnobs {
  const args = new Map<string, string>();
  for (const a of process.argv.slice(2)) {
    const m = /^--([a-z-]+)=(.*)$/.exec(a);
    if (m) args.set(m[1].replace(/-/g, '_').toUpperCase(), m[2]);
    else throw new Error(`unknown argument ${a} (use --name=value, see ${doc})`);
  }
  const raw = (name: string): string | undefined => args.get(name) ?? process.env[`BENCH_${name}`];
  return {
    raw,
    int(name, def, min) {
      const v = raw(name);
      if (v === undefined || v === '') return def;
      if (!/^\d+$/.test(v) || Number(v) < min) throw new Error(`BENCH_${name} must be an integer >= ${min} (got "${v}")`);
      return Number(v);
    },
    flag(name, def) {
      const v = (raw(name) ?? '').toLowerCase();
      if (v === '') return def;
      if (['1', 'true', 'yes', 'on'].includes(v)) return true;
      if (['0', 'false', 'no', 'off'].includes(v)) return false;
      throw new Error(`BENCH_${name} must be on or off (got "${v}")`);
    },
  };
}

/** The load average when the script started (module load), for the header: a busy machine shows in it. */
export const loadavgAtStart = loadavg()
  .map((x) => x.toFixed(2))
  .join(' ');

/** Ctrl-C runs the benchmark's cleanup once, then exits 130. */
export function cleanUpOnInterrupt(cleanup: () => Promise<void>, message = 'interrupted, cleaning up'): void {
  process.once('SIGINT', () => {
    console.error(`\n${message}`);
    void cleanup().finally(() => process.exit(130));
  });
}

/** Runs a benchmark's main: an error is printed and the exit code is 1. */
export function runBench(main: () => Promise<void>): void {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}

/** The app's configuration for a benchmark: a throwaway JWT secret and privacy keys, silent logs, this database, then `env`. */
export async function benchAppConfig(dataDir: string, databaseUrl: string, env: Record<string, string>): Promise<AppConfig> {
  const { loadConfig, throwawayPrivacyEnv } = await import('../src/config/config');
  return loadConfig({
    NODE_ENV: 'development',
    JWT_SECRET: randomBytes(32).toString('hex'),
    ...throwawayPrivacyEnv(),
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    ...env,
  });
}
