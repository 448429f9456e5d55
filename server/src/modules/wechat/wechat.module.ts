import { Module } from '@nestjs/common';
import { ContentChecker } from './content-check';
import { WechatAccessToken } from './wechat-access-token';
import { WechatClient } from './wechat.client';

/**
 * Everything that talks to WeChat's servers, in one place: the HTTP client, the access
 * token, the content checks (text now, media by callback), the message-push endpoint and
 * the phone-number exchange. auth, notifications, wishes and photos import it.
 */
@Module({
  providers: [WechatClient, WechatAccessToken, ContentChecker],
  exports: [WechatClient, WechatAccessToken, ContentChecker],
})
export class WechatModule {}
