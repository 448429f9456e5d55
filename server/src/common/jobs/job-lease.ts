import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { Database } from '../../database/database';
import { exec } from '../../database/exec';
import { isGaleraNode } from '../../database/node-state';
import { ROOT_LOGGER } from '../logging/logger';
import { Clock } from '../clock';

/** What a lease attempt saw, for logs, tests and the cluster benchmark. */
export interface LeaseStats {
  /** Runs this instance did while holding the lease. */
  held: number;
  /** Runs skipped because another instance holds the lease. */
  skipped: number;
  /** Leases taken over from another holder (or taken the first time): the fence went up. */
  takeovers: number;
  /** Lease writes that lost a race by certification failure (errno 1213 on Galera), before a retry settled it. */
  conflicts: number;
}

/**
 * Interval jobs held by one instance at a time (README "On a Galera cluster").
 *
 * Every instance runs every interval job; on one database FOR UPDATE SKIP LOCKED shares their work
 * out. On Galera, row locks are local to a node: two instances on two nodes take the same rows, and
 * the later commit fails certification (1213; Database.tx retries). The writes stay exactly-once
 * (they are guarded), but the work is done twice and thrown away once. So there, a job runs only in
 * the instance holding its row in `job_lease`:
 * - acquire/renew is one guarded UPDATE: it succeeds when this instance holds the lease already or
 *   the lease expired. Two instances racing on one node: the row lock orders them and the second
 *   matches no row. On two nodes: both match locally, the first commit wins and the second fails
 *   certification; retried, it matches no row. Either way exactly one holder.
 * - expiry is compared with the database's clock (NOW(3)), one clock for every instance, so the
 *   instances' clock skew does not matter;
 * - the holder renews before every run and every TTL/3 while a run lasts; a holder that dies is
 *   replaced once its lease expires (JOB_LEASE_TTL_MS); a holder that stops releases at once;
 * - `fence` goes up by one on each change of holder (a generation number in the logs). Correctness
 *   does not rest on the lease: a holder that paused past its expiry and goes on writing meets the
 *   guarded writes (and certification) like any other writer; the lease only keeps the work apart.
 * JOB_LEASE=auto (default) uses it when `@@wsrep_on` is ON (a Galera node); on SQLite and a single
 * MariaDB/MySQL every instance runs the jobs and SKIP LOCKED shares the work in parallel.
 */
@Injectable()
export class JobLeases {
  /** This instance: host, process and a random part (two apps in one process are two holders). */
  readonly holder = `${hostname().slice(0, 60)}:${process.pid}:${randomBytes(4).toString('hex')}`;
  readonly stats: LeaseStats = { held: 0, skipped: 0, takeovers: 0, conflicts: 0 };
  private on: Promise<boolean> | null = null;
  private readonly seeded = new Set<string>();
  private readonly fences = new Map<string, number>();
  private readonly log: Logger;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: Database,
    @Inject(ROOT_LOGGER) logger: Logger,
    private readonly clock: Clock,
  ) {
    this.log = logger.child({ module: 'jobs' });
  }

  /** Whether jobs run under leases here (JOB_LEASE; auto: on a Galera node). Asked once. */
  enabled(): Promise<boolean> {
    this.on ??= this.decide();
    return this.on;
  }

  private async decide(): Promise<boolean> {
    const mode = this.config.jobs.lease;
    if (mode !== 'auto') return mode === 'on';
    if (this.db.isSqlite) return false;
    const on = await isGaleraNode((sql) => this.db.dataSource.query(sql)).catch(() => false);
    if (on) this.log.info({ holder: this.holder }, 'Galera node: interval jobs run under leases (job_lease)');
    return on;
  }

  /**
   * Takes or renews the lease on `name` for JOB_LEASE_TTL_MS from the database's now. Returns
   * its fence while this instance holds it, null when another instance does.
   */
  async acquire(name: string): Promise<number | null> {
    const ttl = this.config.jobs.leaseTtlMs;
    const sqlite = this.db.isSqlite;
    if (!this.seeded.has(name)) {
      const insert = sqlite ? 'INSERT OR IGNORE INTO' : 'INSERT IGNORE INTO';
      await this.tx((m) => m.query(`${insert} job_lease (name, holder, fence, expires_at) VALUES (?, '', 0, ?)`, [name, this.db.time(new Date(0))]));
      this.seeded.add(name);
    }
    // `fence` first: MariaDB's single-table UPDATE sees the new values of columns set before.
    const sql = sqlite
      ? `UPDATE job_lease SET fence = CASE WHEN holder = ? THEN fence ELSE fence + 1 END, holder = ?,
           expires_at = strftime('%Y-%m-%d %H:%M:%f', 'now', '+' || (? / 1000.0) || ' seconds')
         WHERE name = ? AND (holder = ? OR expires_at <= strftime('%Y-%m-%d %H:%M:%f', 'now'))`
      : `UPDATE job_lease SET fence = IF(holder = ?, fence, fence + 1), holder = ?, expires_at = NOW(3) + INTERVAL ? * 1000 MICROSECOND
         WHERE name = ? AND (holder = ? OR expires_at <= NOW(3))`;
    // The holder's clock decides when timers fire (the sweep compares next_due_at with it): an
    // instance whose clock strays from the database's by more than CLOCK_SKEW_MAX_MS neither takes
    // nor keeps a lease (README "Deadlines and the clock"). SQLite: one process, one clock.
    const maxSkew = sqlite ? 0 : this.config.resilience.clockSkewMaxMs;
    const skewGuard = maxSkew > 0 ? ' AND ABS(TIMESTAMPDIFF(MICROSECOND, ?, NOW(3))) <= ?' : '';
    const params = [this.holder, this.holder, ttl, name, this.holder, ...(maxSkew > 0 ? [this.clock.now(), maxSkew * 1000] : [])];
    const fence = await this.tx(async (m) => {
      if ((await exec(m, sql + skewGuard, params)) !== 1) return null;
      const rows: { fence: unknown }[] = await m.query('SELECT fence FROM job_lease WHERE name = ?', [name]);
      return Number(rows[0].fence);
    });
    const before = this.fences.get(name);
    if (fence === null) {
      if (before !== undefined) this.log.warn({ job: name, fence: before }, 'job lease lost to another instance');
      this.fences.delete(name);
    } else if (before !== fence) {
      this.stats.takeovers++;
      this.fences.set(name, fence);
      this.log.info({ job: name, fence, holder: this.holder }, 'job lease taken');
    }
    return fence;
  }

  /**
   * Gives the lease up (shutdown): another instance may take it at once. A failure is logged, not
   * thrown: the lease then simply expires after JOB_LEASE_TTL_MS.
   */
  async release(name: string): Promise<void> {
    if (!this.fences.has(name)) return;
    this.fences.delete(name);
    try {
      await this.tx((m) => exec(m, 'UPDATE job_lease SET expires_at = ? WHERE name = ? AND holder = ?', [this.db.time(new Date(0)), name, this.holder]));
    } catch (e) {
      this.log.warn({ err: e, job: name }, 'job lease not released: it expires by itself');
    }
  }

  /**
   * One run of a job: as it is when leases are off; otherwise only while this instance holds the
   * lease (renewed every TTL/3 while the run lasts). Returns what the run returned, undefined when
   * another instance holds the lease.
   */
  async runHeld<T>(name: string, work: () => Promise<T>): Promise<T | undefined> {
    if (!(await this.enabled())) return work();
    if ((await this.acquire(name)) === null) {
      this.stats.skipped++;
      return undefined;
    }
    this.stats.held++;
    const beat = setInterval(() => {
      this.acquire(name).catch((e: unknown) => this.log.warn({ err: e, job: name }, 'job lease renewal failed'));
    }, Math.max(100, Math.floor(this.config.jobs.leaseTtlMs / 3)));
    beat.unref();
    try {
      return await work();
    } finally {
      clearInterval(beat);
    }
  }

  /** Database.tx, counting certification failures (1213) it retried or gave up on. */
  private async tx<T>(work: (m: EntityManager) => Promise<T>): Promise<T | null> {
    let first = true;
    try {
      return await this.db.tx(async (m) => {
        if (!first) this.stats.conflicts++;
        first = false;
        return work(m);
      });
    } catch (e) {
      const errno = (e as { driverError?: { errno?: number } }).driverError?.errno ?? (e as { errno?: number }).errno;
      if (errno !== 1213) throw e;
      // Still losing after Database.tx's retries: another instance is writing this row; not ours this time.
      this.stats.conflicts++;
      return null;
    }
  }
}
