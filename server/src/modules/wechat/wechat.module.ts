import { Module } from '@nestjs/common';
import { ContentChecker } from './content-check';
import { PhoneController } from './phone.controller';
import { PhoneService } from './phone.service';
import { WechatAccessToken } from './wechat-access-token';
import { WechatClient } from './wechat.client';
import { WechatPushController } from './wechat-push.controller';
import { WechatPush } from './wechat-push.service';

/**
 * Everything that talks to WeChat's servers, in one place: the HTTP client, the access
 * token, the text check, the message-push endpoint (other modules register handlers of
 * its events: photos take wxa_media_check) and the phone-number exchange. auth,
 * notifications, wishes and photos import it.
 */
@Module({
  controllers: [WechatPushController, PhoneController],
  providers: [WechatClient, WechatAccessToken, ContentChecker, WechatPush, PhoneService],
  exports: [WechatClient, WechatAccessToken, ContentChecker, WechatPush],
})
export class WechatModule {}
