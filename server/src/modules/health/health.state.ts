import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';

/** Whether the process is shutting down: readiness answers 503 SHUTTING_DOWN from then on. */
@Injectable()
export class HealthState implements BeforeApplicationShutdown {
  shuttingDown = false;

  beforeApplicationShutdown(): void {
    this.shuttingDown = true;
  }
}
