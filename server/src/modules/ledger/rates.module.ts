import { Module } from '@nestjs/common';
import { RatesRollup } from './rates-rollup';

/**
 * The rates' one home: the rules (rates.ts), their SQL twins and the rollups that keep
 * them fast (rates-rollup.ts). The wish lifecycle and the sweeper call into it in the
 * transaction of each move; the ledger reads it. It depends on no other module.
 */
@Module({ providers: [RatesRollup], exports: [RatesRollup] })
export class RatesModule {}
