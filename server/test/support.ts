// Small helpers the tests share: a seeded PRNG, a CSV reader, migration probes.
import type { DataSource } from 'typeorm';

/** A small seeded PRNG (mulberry32), so a failure can be replayed. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)], chance: (p: number) => next() < p };
}

/** RFC 4180 CSV (the ledger export, BOM removed), as Excel reads it. */
export function parseCsv(text: string): string[][] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      row.push(field), rows.push(row), (row = []), (field = '');
    } else field += ch;
  }
  if (field || row.length) row.push(field), rows.push(row);
  return rows;
}

/** The name of the last migration run on a test database (migration tests step back to their own). */
export async function lastMigration(ds: DataSource): Promise<string> {
  return (await ds.query(`SELECT name FROM schema_migration ORDER BY id DESC LIMIT 1`))[0].name;
}

/** The column names of a table, on SQLite or MariaDB. */
export async function columnsOf(ds: DataSource, table: string): Promise<string[]> {
  const sqlite = ds.options.type === 'better-sqlite3';
  const rows: { name: string }[] = sqlite
    ? await ds.query(`PRAGMA table_info(${table})`)
    : await ds.query(`SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?`, [table]);
  return rows.map((c) => c.name);
}

/** An instant given as Beijing wall time, 'YYYY-MM-DDTHH:mm[:ss]' (or with a space): expected times typed by hand in tests. */
export const bj = (s: string): Date => new Date(`${/:\d\d:\d\d$/.test(s) ? s : `${s}:00`}+08:00`);

/** Waits until `check` holds, polling every 200 ms; fails naming `what` after `ms`. */
export async function eventually(what: string, ms: number, check: () => Promise<boolean>): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
