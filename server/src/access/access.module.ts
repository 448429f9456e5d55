import { Global, Module } from '@nestjs/common';
import { AccessPolicy } from './policy';
import { SeesGuard } from './sees.guard';

/** The one access policy, for every module. */
@Global()
@Module({ providers: [AccessPolicy, SeesGuard], exports: [AccessPolicy, SeesGuard] })
export class AccessModule {}
