import { DynamicModule, Global, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { APP_CONFIG, type AppConfig } from './config/config';
import { Clock } from './common/clock';
import { ROOT_LOGGER } from './common/logging/logger';
import { Database } from './database/database';
import { Pii } from './common/crypto/pii';
import { TokenService } from './common/auth/token.service';
import { ActorLoader } from './common/auth/actor-loader';
import { JobLeases } from './common/jobs/job-lease';

export interface CoreDeps {
  config: AppConfig;
  database: Database;
  clock: Clock;
  logger: Logger;
}

/** Process-wide things every module may inject: config, database, clock, logger, tokens, job leases. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(deps: CoreDeps): DynamicModule {
    const providers = [
      { provide: APP_CONFIG, useValue: deps.config },
      { provide: Database, useValue: deps.database },
      { provide: Pii, useValue: deps.database.pii },
      { provide: Clock, useValue: deps.clock },
      { provide: ROOT_LOGGER, useValue: deps.logger },
      TokenService,
      ActorLoader,
      JobLeases,
    ];
    return { module: CoreModule, providers, exports: providers.map((p) => ('provide' in p ? p.provide : p)) };
  }
}
