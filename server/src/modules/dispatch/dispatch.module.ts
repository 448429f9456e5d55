import { Global, Module } from '@nestjs/common';
import { DispatchController } from './dispatch.controller';
import { DispatchRepository } from './dispatch.repository';
import { DispatchRules } from './dispatch-rules.service';

/** Policy windows and the working calendar; the sweeper lives with the wishes (wishes/jobs). */
@Global()
@Module({ controllers: [DispatchController], providers: [DispatchRepository, DispatchRules], exports: [DispatchRules] })
export class DispatchModule {}
