import { Module } from '@nestjs/common';
import { WechatModule } from '../wechat/wechat.module';
import { NotificationSender } from './notification.sender';
import { NotificationsController } from './notifications.controller';
import { NotificationsCron } from './notifications.cron';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';
import { SubscribeMessageSender } from './subscribe-message.sender';

/**
 * Notices: the outbox other modules write with enqueueNotices (outbox.ts) inside their
 * transactions; the sender that delivers it to the inbox and as WeChat subscribe messages;
 * the inbox and subscription API under /api/me.
 */
@Module({
  imports: [WechatModule],
  controllers: [NotificationsController],
  providers: [NotificationsRepository, NotificationsService, NotificationSender, SubscribeMessageSender, NotificationsCron],
  exports: [NotificationSender, NotificationsService, NotificationsRepository],
})
export class NotificationsModule {}
