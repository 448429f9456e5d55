import { Module } from '@nestjs/common';
import { FundsController } from './funds.controller';
import { FundsRepository } from './funds.repository';
import { FundsService } from './funds.service';

/** The service fund (服务群众专项经费): budgets per community and year, and spends of completed wishes. */
@Module({ controllers: [FundsController], providers: [FundsRepository, FundsService], exports: [FundsService] })
export class FundsModule {}
