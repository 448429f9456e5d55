import type { Logger } from 'pino';
import type { JobLeases } from './job-lease';

/**
 * A job that runs now and then every `intervalMs` after the previous run ended (never two
 * runs at once in a process), until stopped; stopping waits for a run in progress, so the
 * database is not closed under it. The timer does not keep the process alive.
 * With `leases`, a run happens only in the instance holding the job's lease (job-lease.ts: on a
 * Galera node), and stopping gives the lease up.
 */
export class IntervalJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = true;

  constructor(
    private readonly name: string,
    private readonly intervalMs: number,
    private readonly run: () => Promise<unknown>,
    private readonly log: Logger,
    private readonly leases?: JobLeases,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
    await this.leases?.release(this.name);
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = (this.leases ? this.leases.runHeld(this.name, this.run) : this.run())
        .catch((e: unknown) => this.log.error({ err: e }, `${this.name} failed`))
        .finally(() => {
          this.running = null;
          this.schedule(this.intervalMs);
        });
    }, delay);
    this.timer.unref();
  }
}
