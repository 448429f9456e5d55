import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import { ERASED_NAME, ERASED_TEXT } from '@xinyuan/shared';
import { APP_CONFIG, type AppConfig } from '../../../config/config';
import { Clock } from '../../../common/clock';
import { ROOT_LOGGER } from '../../../common/logging/logger';
import { Database } from '../../../database/database';
import { erasedRegistrationColumns } from '../../members/members.repository';
import { erasedWishPersonal } from '../../wishes/wish-pii';
import { CLOSED_STATES, PrivacyRepository } from '../privacy.repository';
import { IntervalJob } from '../../../common/jobs/interval-job';
import { JobLeases } from '../../../common/jobs/job-lease';

export interface RetentionStats {
  /** Wishes whose contact details (and a sensitive category's description) were erased. */
  wishes: number;
  /** Registrations (refused, revoked, withdrawn) whose name, phone and work unit were erased. */
  registrations: number;
  /** Transactions that erased something. */
  batches: number;
}

/** Rows per transaction: their locks are held while they are written, so keep it short. */
export const RETENTION_BATCH_SIZE = 200;

const DAY_MS = 86_400_000;

/**
 * Erases what is kept no longer than needed (PIPL Art. 19; DOMAIN.md "Contact details of closed
 * wishes are erased after a retention period"): config.privacy.retentionDays after a wish closed
 * (resolved, cancelled, rejected: updated_at, which a closed wish never changes again), its
 * beneficiary's name, phone and address, and a sensitive category's description; after a
 * registration ended (refused, revoked, withdrawn), the registrant's name, phone and work unit. The facts
 * (states, dates, ratings, title) stay for the ledger and the three rates.
 *
 * Every config.privacy.jobIntervalMs while config.privacy.jobsEnabled; `cli.js privacy retention`
 * runs it once; tests call sweepOnce. Per batch, one transaction (READ COMMITTED on MySQL/MariaDB):
 * rows taken with FOR UPDATE SKIP LOCKED (SQLite's writers are queued in-process), then one guarded
 * UPDATE (`contact_erased_at IS NULL`). Several instances sweep side by side without sharing a
 * row; a stop loses nothing (each batch is committed; the next run finds the rest).
 */
@Injectable()
export class RetentionSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log: Logger;
  private readonly job: IntervalJob;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly repo: PrivacyRepository,
    @Inject(ROOT_LOGGER) logger: Logger,
    leases: JobLeases,
  ) {
    this.log = logger.child({ module: 'privacy' });
    this.job = new IntervalJob('retention sweep', config.privacy.jobIntervalMs, () => this.sweepOnce(), this.log, leases);
  }

  onApplicationBootstrap(): void {
    if (this.config.privacy.jobsEnabled) this.job.start();
  }

  /** Stops the timer and waits for a sweep in progress, so the database is not closed under it. */
  onModuleDestroy(): Promise<void> {
    return this.job.stop();
  }

  /** Erases everything past retention at `now`, batch by batch; returns what it erased. */
  async sweepOnce(now: Date = this.clock.now(), batchSize = RETENTION_BATCH_SIZE): Promise<RetentionStats> {
    const before = new Date(now.getTime() - this.config.privacy.retentionDays * DAY_MS);
    const stats: RetentionStats = { wishes: 0, registrations: 0, batches: 0 };
    for (const state of CLOSED_STATES) {
      for (;;) {
        // Counted after the commit: a transaction retried after a deadlock must not count twice.
        const b = await this.db.tx((m) => this.wishBatch(m, state, before, now, batchSize));
        stats.wishes += b.erased;
        if (b.selected > 0) stats.batches++;
        if (b.selected < batchSize) break;
      }
    }
    for (;;) {
      const b = await this.db.tx((m) => this.registrationBatch(m, before, now, batchSize));
      stats.registrations += b.erased;
      if (b.selected > 0) stats.batches++;
      if (b.selected < batchSize) break;
    }
    if (stats.wishes > 0 || stats.registrations > 0) {
      this.log.info({ wishes: stats.wishes, registrations: stats.registrations, batches: stats.batches, retentionDays: this.config.privacy.retentionDays, closedBefore: before.toISOString() }, 'erased personal information past retention');
    }
    return stats;
  }

  private async wishBatch(m: EntityManager, state: (typeof CLOSED_STATES)[number], before: Date, now: Date, limit: number): Promise<{ selected: number; erased: number }> {
    const rows = await this.repo.lockClosedWishes(m, state, before, limit);
    if (rows.length === 0) return { selected: 0, erased: 0 };
    // One sealed empty value per column serves the whole batch (the column is the seal's additional data, not the row).
    const e = erasedWishPersonal(this.db.pii, { placeholderName: ERASED_NAME, sensitive: true, description: false });
    const cols = {
      beneficiary_name: e.beneficiaryName!,
      beneficiary_phone: e.beneficiaryPhone!,
      address: e.address!,
      beneficiary_name_masked: e.beneficiaryNameMasked!,
      beneficiary_phone_masked: e.beneficiaryPhoneMasked!,
      address_building: e.addressBuilding!,
      beneficiary_phone_hash: null,
    };
    const erased = await this.repo.eraseClosedWishes(m, rows.map((r) => r.id), cols, this.db.pii.seal(ERASED_TEXT, 'wish.description'), now);
    return { selected: rows.length, erased };
  }

  private async registrationBatch(m: EntityManager, before: Date, now: Date, limit: number): Promise<{ selected: number; erased: number }> {
    const ids = await this.repo.lockClosedRegistrations(m, before, limit);
    if (ids.length === 0) return { selected: 0, erased: 0 };
    return { selected: ids.length, erased: await this.repo.eraseRegistrations(m, ids, erasedRegistrationColumns(this.db.pii), now) };
  }
}
