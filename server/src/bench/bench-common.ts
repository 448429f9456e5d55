// Helpers the benchmarks share: CPU probes read from /proc, number formatting, a mysql2 pool, knobs, start and stop.
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import mysql, { type Pool } from 'mysql2/promise';

/** CPU seconds used so far by the local MariaDB server, when it runs here and /proc can tell. */
export function dbCpuProbe(host: string): (() => number) | null {
  if (!['127.0.0.1', 'localhost', '::1'].includes(host)) return null;
  try {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      let comm = '';
      try {
        comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      } catch {
        continue;
      }
      if (comm === 'mariadbd' || comm === 'mysqld') {
        return () => {
          const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
          return (Number(f[11]) + Number(f[12])) / 100; // utime + stime, in USER_HZ (100 on Linux)
        };
      }
    }
  } catch {
    /* not Linux */
  }
  return null;
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
