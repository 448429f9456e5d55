import { Module } from '@nestjs/common';
import { PhotosModule } from '../photos/photos.module';
import { WishesController } from './wishes.controller';
import { WishesService } from './wishes.service';
import { WishesRepository } from './wishes.repository';
import { WishEventsRepository } from './wish-events.repository';
import { WishLifecycle } from './wish-lifecycle.service';

@Module({
  imports: [PhotosModule],
  controllers: [WishesController],
  providers: [WishesService, WishesRepository, WishEventsRepository, WishLifecycle],
  exports: [WishesRepository, WishEventsRepository, WishLifecycle],
})
export class WishesModule {}
