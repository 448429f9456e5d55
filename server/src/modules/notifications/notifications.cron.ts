// Runs the sender every NOTIFY_INTERVAL_MS while NOTIFY_ENABLED (tests turn it off and
// call processOnce themselves). One run at a time: the next is scheduled when one ends.
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { ROOT_LOGGER } from '../../common/logging/logger';
import { NotificationSender } from './notification.sender';
import { JobLeases } from '../../common/jobs/job-lease';

/** The job's name in job_lease. */
const LEASE = 'notifications';

@Injectable()
export class NotificationsCron implements OnModuleInit, OnModuleDestroy {
  private readonly log: Logger;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sender: NotificationSender,
    @Inject(ROOT_LOGGER) logger: Logger,
    private readonly leases: JobLeases,
  ) {
    this.log = logger.child({ module: 'notifications' });
  }

  onModuleInit(): void {
    if (!this.config.notify.enabled) return;
    this.stopped = false;
    this.schedule();
  }

  /** Stops the timer and waits for a run in progress, so the database is not closed under it. */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
    await this.leases.release(LEASE);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.tick().finally(() => {
        this.running = null;
        this.schedule();
      });
    }, this.config.notify.intervalMs);
    // A pending timer never keeps the process alive.
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    try {
      // On a Galera node only the instance holding the lease sends (common/jobs/job-lease.ts).
      const r = await this.leases.runHeld(LEASE, () => this.sender.processOnce());
      if (r && (r.processed || r.wechat.sent || r.wechat.failed || r.wechat.skipped || r.wechat.retrying)) this.log.info(r, 'notifications delivered');
    } catch (e) {
      this.log.error({ err: e }, 'notification pass failed');
    }
  }
}
