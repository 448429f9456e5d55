// Writes the access log before any personal information leaves the server: a read waits for
// its rows to be written, and fails (503) when they cannot be: it fails closed, never leaking
// an unlogged read. Rows of reads that arrive while a write is in flight are written together
// by the next one (a group commit), so a busy server writes a few rows per statement instead
// of one statement per read.
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../../common/logging/logger';
import { requestContext } from '../../common/logging/logger';
import { AccessLogException } from './access-log.exception';
import { AccessLogRepository, type AccessRecord } from './access-log.repository';

interface Waiting {
  rows: AccessRecord[];
  resolve: () => void;
  reject: (e: unknown) => void;
}

/** Rows per INSERT at the most (13 parameters a row). */
const MAX_ROWS = 1000;

@Injectable()
export class AccessLogWriter {
  private queue: Waiting[] = [];
  private draining = false;

  constructor(
    private readonly repo: AccessLogRepository,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  /** Writes the rows (the request id filled in from the request being handled); throws ACCESS_LOG_UNAVAILABLE when it cannot. */
  async record(rows: Omit<AccessRecord, 'requestId'>[]): Promise<void> {
    if (rows.length === 0) return;
    const requestId = requestContext.getStore()?.reqId ?? null;
    const full = rows.map((r) => ({ ...r, requestId }));
    try {
      await new Promise<void>((resolve, reject) => {
        this.queue.push({ rows: full, resolve, reject });
        if (!this.draining) void this.drain();
      });
    } catch (e) {
      this.logger.error({ err: e instanceof Error ? e.message : String(e), rows: rows.length }, 'access log could not be written: the read is refused');
      throw new AccessLogException('ACCESS_LOG_UNAVAILABLE');
    }
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length) {
        const batch: Waiting[] = [];
        let n = 0;
        while (this.queue.length && (batch.length === 0 || n + this.queue[0].rows.length <= MAX_ROWS)) {
          const w = this.queue.shift()!;
          batch.push(w);
          n += w.rows.length;
        }
        try {
          await this.repo.append(batch.flatMap((w) => w.rows));
          for (const w of batch) w.resolve();
        } catch (e) {
          for (const w of batch) w.reject(e);
        }
      }
    } finally {
      this.draining = false;
    }
  }
}
