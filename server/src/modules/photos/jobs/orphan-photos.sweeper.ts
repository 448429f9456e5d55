import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../../config/config';
import { Clock } from '../../../common/clock';
import { ROOT_LOGGER } from '../../../common/logging/logger';
import { Database } from '../../../database/database';
import { PHOTO_STORAGE, type PhotoStorage } from '../photo-storage';
import { PhotosRepository } from '../photos.repository';
import { IntervalJob } from '../../../common/jobs/interval-job';
import { JobLeases } from '../../../common/jobs/job-lease';

export interface OrphanSweepStats {
  /** Rows deleted. */
  photos: number;
  /** Bytes of the deleted photos (their stored size). */
  bytes: number;
  /** Deleted rows whose file was already gone. */
  missingFiles: number;
  /** Photos kept for the next sweep because their file could not be removed. */
  failed: number;
  batches: number;
}

/** Rows per transaction: their locks are held while the files go, so keep it short. */
export const ORPHAN_BATCH_SIZE = 200;

/**
 * Deletes uploads no wish took within config.privacy.orphanUploadHours (PIPL:
 * keep personal information no longer than needed). Every
 * config.privacy.jobIntervalMs while config.privacy.jobsEnabled; tests call
 * sweepOnce.
 *
 * Per batch, in one transaction: the rows are locked (FOR UPDATE SKIP LOCKED on
 * MySQL/MariaDB; SQLite's writers are queued in-process), their files removed,
 * then the rows deleted with `wish_id IS NULL` again. A wish that attaches one
 * of them meanwhile waits for the lock and then finds the photo gone, so no
 * wish keeps a photo whose file was removed; a row a wish holds is skipped. A
 * crash after the files and before the commit leaves rows without files, which
 * the next sweep deletes (a missing file is fine). Several instances sweep side
 * by side without sharing a row.
 */
@Injectable()
export class OrphanPhotosSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log: Logger;
  private readonly job: IntervalJob;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly photos: PhotosRepository,
    @Inject(PHOTO_STORAGE) private readonly storage: PhotoStorage,
    @Inject(ROOT_LOGGER) logger: Logger,
    leases: JobLeases,
  ) {
    this.log = logger.child({ module: 'photos' });
    this.job = new IntervalJob('unattached upload sweep', config.privacy.jobIntervalMs, () => this.sweepOnce(), this.log, leases);
  }

  onApplicationBootstrap(): void {
    if (this.config.privacy.jobsEnabled) this.job.start();
  }

  /** Stops the timer and waits for a sweep in progress, so the database is not closed under it. */
  onModuleDestroy(): Promise<void> {
    return this.job.stop();
  }

  /** Deletes every unattached photo created more than orphanUploadHours before `now`, batch by batch. */
  async sweepOnce(now: Date = this.clock.now(), batchSize = ORPHAN_BATCH_SIZE): Promise<OrphanSweepStats> {
    const before = new Date(now.getTime() - this.config.privacy.orphanUploadHours * 3600 * 1000);
    const stats: OrphanSweepStats = { photos: 0, bytes: 0, missingFiles: 0, failed: 0, batches: 0 };
    for (;;) {
      // Counted after the commit: a transaction retried after a deadlock must not count twice.
      const { selected, failed, ...batch } = await this.db.tx((m) => this.sweepBatch(m, before, batchSize));
      stats.photos += batch.photos;
      stats.bytes += batch.bytes;
      stats.missingFiles += batch.missingFiles;
      stats.failed += failed;
      if (selected > 0) stats.batches++;
      // A file that cannot be removed keeps its row for the next sweep; stop here rather than select it again.
      if (selected < batchSize || failed > 0) break;
    }
    if (stats.photos > 0 || stats.failed > 0) {
      this.log.info({ deleted: stats.photos, bytes: stats.bytes, missingFiles: stats.missingFiles, failed: stats.failed, olderThanHours: this.config.privacy.orphanUploadHours }, 'deleted unattached uploads');
    }
    return stats;
  }

  private async sweepBatch(m: EntityManager, before: Date, limit: number): Promise<{ selected: number; failed: number; photos: number; bytes: number; missingFiles: number }> {
    const rows = await this.photos.lockOrphans(m, before, limit);
    const gone: typeof rows = [];
    let missing = 0;
    let failed = 0;
    for (const p of rows) {
      try {
        if (!(await this.storage.remove(p.storageKey))) missing++;
        gone.push(p);
      } catch (err) {
        failed++;
        this.log.error({ err, photoId: p.id }, 'could not remove the file of an unattached upload');
      }
    }
    const deleted = await this.photos.deleteUnattached(
      m,
      gone.map((p) => p.id),
    );
    // Cannot happen while the rows are locked; if it does, those photos lost their files.
    if (deleted !== gone.length) this.log.error({ expected: gone.length, deleted }, 'unattached uploads changed while being deleted');
    return { selected: rows.length, failed, photos: deleted, bytes: gone.reduce((n, p) => n + p.size, 0), missingFiles: missing };
  }
}
