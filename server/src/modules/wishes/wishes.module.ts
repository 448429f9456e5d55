import { RatesModule } from '../ledger/rates.module';
import { Module } from '@nestjs/common';
import { WechatModule } from '../wechat/wechat.module';
import { FundsModule } from '../funds/funds.module';
import { PhotosModule } from '../photos/photos.module';
import { WishesController } from './wishes.controller';
import { WishesService } from './wishes.service';
import { WishesRepository } from './wishes.repository';
import { WishEventsRepository } from './wish-events.repository';
import { WishLifecycle } from './wish-lifecycle.service';
import { DispatchSweeper } from './jobs/dispatch.sweeper';
import { WishUrgesRepository } from './wish-urges.repository';

@Module({
  imports: [WechatModule, PhotosModule, FundsModule, RatesModule],
  controllers: [WishesController],
  providers: [WishesService, WishesRepository, WishEventsRepository, WishUrgesRepository, WishLifecycle, DispatchSweeper],
  exports: [WishesService, WishesRepository, WishEventsRepository, WishUrgesRepository, WishLifecycle, DispatchSweeper, RatesModule],
})
export class WishesModule {}
