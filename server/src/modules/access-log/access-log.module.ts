import { Global, Module } from '@nestjs/common';
import { AccessLogController } from './access-log.controller';
import { AccessLogRepository } from './access-log.repository';
import { AccessLogService } from './access-log.service';
import { AccessLogWriter } from './access-log.writer';

/** Who read personal information: written before it is shown, read by the person it was about and by the departments. */
@Global()
@Module({ controllers: [AccessLogController], providers: [AccessLogRepository, AccessLogWriter, AccessLogService], exports: [AccessLogWriter, AccessLogService] })
export class AccessLogModule {}
