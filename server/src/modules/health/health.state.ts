import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { ROOT_LOGGER } from '../../common/logging/logger';

/**
 * Whether the process is shutting down: readiness answers 503 SHUTTING_DOWN from then on. On a
 * signal (SIGTERM from systemd, Docker, Kubernetes) the stop waits SHUTDOWN_DRAIN_MS first, the
 * HTTP server still serving, so the load balancer sees the 503 and sends nothing new before the
 * port closes. Nest runs this hook before it closes the HTTP server.
 */
@Injectable()
export class HealthState implements BeforeApplicationShutdown {
  shuttingDown = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.shuttingDown = true;
    const drainMs = this.config.resilience.shutdownDrainMs;
    if (!signal || drainMs === 0) return;
    this.logger.info({ signal, drainMs }, 'shutting down: readiness answers 503 while the load balancer drains this instance');
    await new Promise((r) => setTimeout(r, drainMs));
  }
}
