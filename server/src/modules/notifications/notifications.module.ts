import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { NotificationSender } from './notification.sender';
import { NotificationsController } from './notifications.controller';
import { NotificationsCron } from './notifications.cron';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';
import { SubscribeMessageSender } from './subscribe-message.sender';
import { WechatAccessToken } from './wechat-access-token';

/**
 * Notices: the outbox other modules write with enqueueNotices (outbox.ts) inside their
 * transactions; the sender that delivers it to the inbox and as WeChat subscribe messages;
 * the inbox and subscription API under /api/me.
 */
@Module({
  imports: [AuthModule],
  controllers: [NotificationsController],
  providers: [NotificationsRepository, NotificationsService, NotificationSender, SubscribeMessageSender, WechatAccessToken, NotificationsCron],
  exports: [NotificationSender, NotificationsService, WechatAccessToken, NotificationsRepository],
})
export class NotificationsModule {}
