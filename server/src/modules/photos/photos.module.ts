import { join } from 'node:path';
import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { OrphanPhotosSweeper } from './jobs/orphan-photos.sweeper';
import { PhotoImages } from './photo-images';
import { LocalDiskStorage, PHOTO_STORAGE } from './photo-storage';
import { PhotosController } from './photos.controller';
import { VoiceNotesController } from './voice-notes.controller';
import { PhotosRepository } from './photos.repository';
import { PhotosService } from './photos.service';
import { PhotoUrls } from './photo-urls';
import { MediaChecks } from './media-checks';
import { WechatModule } from '../wechat/wechat.module';
import { NotificationsModule } from '../notifications/notifications.module';

/**
 * Uploads (re-encoded, within a daily quota), signed serving, attaching photos to
 * wishes (PhotosService is for the wishes module), WeChat's media check of every upload
 * (MediaChecks), and deleting uploads no wish took.
 */
@Global()
@Module({
  imports: [WechatModule, NotificationsModule],
  controllers: [PhotosController, VoiceNotesController],
  providers: [
    PhotosRepository,
    PhotosService,
    PhotoImages,
    OrphanPhotosSweeper,
    PhotoUrls,
    MediaChecks,
    { provide: PHOTO_STORAGE, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new LocalDiskStorage(join(config.dataDir, 'uploads')) },
  ],
  exports: [PhotosService, MediaChecks, PHOTO_STORAGE],
})
export class PhotosModule {}
