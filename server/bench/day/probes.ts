// What bench:day reads beside HTTP: process CPU from /proc (a process found by the TCP port it
// listens on, so the right mariadbd among several: bench-common's probes), and the database (timers fired late, notices
// delayed) through a read-only connection of its own.
import Database from 'better-sqlite3';
import mysql, { type Pool } from 'mysql2/promise';
import { pidListeningOn, processCpuProbe } from '../bench-common';

/** Sums CPU of processes over a run, surviving restarts: pids are looked up by port at each sample. */
export class CpuMeter {
  private readonly last = new Map<string, number>();
  total = 0;
  constructor(readonly ports: number[]) {}
  sample(): void {
    for (const port of this.ports) {
      const pid = pidListeningOn(port);
      if (pid === null) continue;
      let now: number;
      try {
        now = processCpuProbe(pid)();
      } catch {
        continue; // gone
      }
      const prev = this.last.get(pid);
      if (prev !== undefined) this.total += Math.max(0, now - prev);
      this.last.set(pid, now);
    }
  }
}

/** A read-only view of the deployment's database (SQLite file or MySQL/MariaDB URL). */
export class DbView {
  private sqlite: Database.Database | null = null;
  private pool: Pool | null = null;
  constructor(target: { sqlite?: string; databaseUrl?: string }) {
    if (target.sqlite) {
      this.sqlite = new Database(target.sqlite, { readonly: true, fileMustExist: true });
      this.sqlite.pragma('busy_timeout = 5000');
    } else if (target.databaseUrl) {
      const u = new URL(target.databaseUrl);
      this.pool = mysql.createPool({
        host: u.hostname,
        port: u.port ? Number(u.port) : 3306,
        user: decodeURIComponent(u.username || 'root'),
        password: decodeURIComponent(u.password),
        database: decodeURIComponent(u.pathname.replace(/^\//, '')),
        timezone: 'Z',
        connectionLimit: 2,
        connectTimeout: 3000,
      });
    } else throw new Error('DbView needs --sqlite=FILE or --database-url=URL');
  }

  get isSqlite(): boolean {
    return this.sqlite !== null;
  }

  async all<T = Record<string, any>>(sql: string, params: unknown[] = []): Promise<T[]> {
    if (this.sqlite) return this.sqlite.prepare(sql).all(...params) as T[];
    const [rows] = await this.pool!.query(sql, params);
    return rows as T[];
  }

  /** A time as the database keeps it, for comparisons in SQL. */
  param(d: Date): Date | string {
    return this.sqlite ? d.toISOString().replace('T', ' ').replace('Z', '') : d;
  }

  /** A time column read back as epoch ms. */
  ms(v: unknown): number {
    if (v === null || v === undefined) return NaN;
    if (v instanceof Date) return v.getTime();
    return Date.parse(String(v).replace(' ', 'T') + 'Z');
  }

  async close(): Promise<void> {
    this.sqlite?.close();
    await this.pool?.end();
  }
}

/**
 * Timers fired late. A timer's event is written with created_at = the step's due time (the sweeper
 * seals each step at the time it was due, dispatch.sweeper.ts), and the sweep's UPDATE sets the
 * wish's updated_at to the wall time of the sweep. So while the system event is still the wish's
 * last event, updated_at − created_at is exactly how late it fired; otherwise the time this
 * observer first saw the event bounds it (poll interval added).
 */
export class TimerObserver {
  private lastId = 0;
  readonly lateMs: number[] = [];
  exact = 0;
  bounded = 0;
  constructor(
    private readonly db: DbView,
    private readonly since: Date,
  ) {}

  async start(): Promise<void> {
    const r = await this.db.all<{ m: number | null }>('SELECT MAX(id) AS m FROM wish_event');
    this.lastId = Number(r[0]?.m ?? 0);
  }

  async poll(): Promise<void> {
    const seenAt = Date.now();
    const rows = await this.db.all(
      `SELECT e.id, e.wish_id, e.created_at, w.updated_at, (SELECT MAX(x.id) FROM wish_event x WHERE x.wish_id = e.wish_id) AS last_id
         FROM wish_event e JOIN wish w ON w.id = e.wish_id
        WHERE e.id > ? AND e.actor_role = 'system' ORDER BY e.id LIMIT 5000`,
      [this.lastId],
    );
    const newest = await this.db.all<{ m: number | null }>('SELECT MAX(id) AS m FROM wish_event');
    for (const r of rows) {
      const due = this.db.ms(r.created_at);
      if (due < this.since.getTime()) continue;
      if (Number(r.last_id) === Number(r.id)) {
        this.lateMs.push(Math.max(0, this.db.ms(r.updated_at) - due));
        this.exact++;
      } else {
        this.lateMs.push(Math.max(0, seenAt - due));
        this.bounded++;
      }
    }
    this.lastId = rows.length === 5000 ? Number(rows[rows.length - 1].id) : Math.max(this.lastId, Number(newest[0]?.m ?? 0));
  }
}

/** Notices delayed: each outbox row written since `since`, created_at → processed_at. */
export async function noticeDelays(db: DbView, since: Date): Promise<{ sent: number; pending: number; dead: number; delaysMs: number[] }> {
  const rows = await db.all('SELECT status, created_at, processed_at FROM outbox WHERE created_at >= ?', [db.param(since)]);
  const delaysMs: number[] = [];
  let pending = 0;
  let dead = 0;
  for (const r of rows) {
    if (r.status === 'dead') dead++;
    else if (r.processed_at === null || r.processed_at === undefined) pending++;
    else delaysMs.push(Math.max(0, db.ms(r.processed_at) - db.ms(r.created_at)));
  }
  return { sent: delaysMs.length, pending, dead, delaysMs };
}

export function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

/**
 * WeChat subscribe messages sent more often than the app recorded sending them. The fake server
 * counts the sends it accepted per (openid, template, wish page); the database says, for the same
 * triple, how many inbox lines were sent (wx_status 'sent') or taken and not yet recorded (a send
 * may have happened before a crash: 'pending' with an attempt). More sends than those is a message
 * sent twice. Templates are "<prefix><kind>" (the deployment's).
 */
export async function wechatDoubles(db: DbView, sends: { body: unknown }[], templatePrefix: string): Promise<{ sends: number; doubled: number; examples: string[] }> {
  const fake = new Map<string, number>();
  for (const s of sends) {
    const b = s.body as { touser: string; template_id: string; page?: string };
    const wish = /[?&]id=(\d+)/.exec(b.page ?? '')?.[1] ?? '';
    const k = `${b.touser}|${b.template_id}|${wish}`;
    fake.set(k, (fake.get(k) ?? 0) + 1);
  }
  const recorded = new Map<string, number>();
  for (const r of await db.all(
    "SELECT u.openid, m.kind, m.wish_id, SUM(CASE WHEN m.wx_status = 'sent' OR (m.wx_status = 'pending' AND m.wx_attempts > 0) THEN 1 ELSE 0 END) AS n FROM message m JOIN app_user u ON u.id = m.user_id GROUP BY u.openid, m.kind, m.wish_id",
  ))
    recorded.set(`${r.openid}|${templatePrefix}${r.kind}|${r.wish_id ?? ''}`, Number(r.n));
  let doubled = 0;
  const examples: string[] = [];
  for (const [k, n] of fake) {
    const over = n - (recorded.get(k) ?? 0);
    if (over > 0) {
      doubled += over;
      if (examples.length < 5) examples.push(`${k}: sent ${n}, recorded ${recorded.get(k) ?? 0}`);
    }
  }
  return { sends: sends.length, doubled, examples };
}
