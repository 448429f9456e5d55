import { join } from 'node:path';
import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { LocalDiskStorage, PHOTO_STORAGE } from './photo-storage';
import { PhotosController } from './photos.controller';
import { PhotosRepository } from './photos.repository';
import { PhotosService } from './photos.service';

/** Uploads, signed serving, and attaching photos to wishes (PhotosService is for the wishes module). */
@Global()
@Module({
  controllers: [PhotosController],
  providers: [
    PhotosRepository,
    PhotosService,
    { provide: PHOTO_STORAGE, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new LocalDiskStorage(join(config.dataDir, 'uploads')) },
  ],
  exports: [PhotosService],
})
export class PhotosModule {}
