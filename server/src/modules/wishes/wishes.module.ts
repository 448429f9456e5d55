import { Module } from '@nestjs/common';
import { FundsModule } from '../funds/funds.module';
import { PhotosModule } from '../photos/photos.module';
import { WishesController } from './wishes.controller';
import { WishesService } from './wishes.service';
import { WishesRepository } from './wishes.repository';
import { WishEventsRepository } from './wish-events.repository';
import { WishLifecycle } from './wish-lifecycle.service';
import { DispatchSweeper } from './jobs/dispatch.sweeper';

@Module({
  imports: [PhotosModule, FundsModule],
  controllers: [WishesController],
  providers: [WishesService, WishesRepository, WishEventsRepository, WishLifecycle, DispatchSweeper],
  exports: [WishesRepository, WishEventsRepository, WishLifecycle, DispatchSweeper],
})
export class WishesModule {}
