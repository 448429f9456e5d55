import { Module } from '@nestjs/common';
import { FundsModule } from '../funds/funds.module';
import { WishesModule } from '../wishes/wishes.module';
import { IntegrityController } from './integrity.controller';
import { IntegrityRepository } from './integrity.repository';
import { IntegrityService } from './integrity.service';
import { LedgerController } from './ledger.controller';
import { LedgerExporter } from './ledger.exporter';
import { LedgerRepository } from './ledger.repository';
import { LedgerService } from './ledger.service';
import { RatesModule } from './rates.module';
import { ChainVerifier } from './chain-verifier';
import { LedgerChainService } from './ledger-chain.service';

/** The ledger (台账), the three rates and the exports, read from wish rows and their events. */
@Module({
  imports: [WishesModule, FundsModule, RatesModule],
  controllers: [LedgerController, IntegrityController],
  providers: [LedgerService, LedgerRepository, LedgerExporter, ChainVerifier, LedgerChainService, IntegrityService, IntegrityRepository],
})
export class LedgerModule {}
