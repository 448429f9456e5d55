import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { ROOT_LOGGER } from '../logging/logger';
import { IntervalJob } from '../jobs/interval-job';
import { JobLeases } from '../jobs/job-lease';
import { IdempotencyService } from './idempotency.service';

/** Deletes idempotency keys kept past their day (config.idempotency.ttlHours), every purgeIntervalMs while purgeEnabled. */
@Injectable()
export class IdempotencyPurge implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly job: IntervalJob;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    keys: IdempotencyService,
    @Inject(ROOT_LOGGER) logger: Logger,
    leases: JobLeases,
  ) {
    const log = logger.child({ module: 'idempotency' });
    this.job = new IntervalJob('idempotency purge', config.idempotency.purgeIntervalMs, async () => {
      const n = await keys.purge();
      if (n > 0) log.info({ purged: n }, 'expired idempotency keys deleted');
    }, log, leases);
  }

  onApplicationBootstrap(): void {
    if (this.config.idempotency.purgeEnabled) this.job.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.job.stop();
  }
}
