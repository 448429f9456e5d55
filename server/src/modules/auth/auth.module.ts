import { Module } from '@nestjs/common';
import { AuthController, DevLoginEnabledGuard } from './auth.controller';
import { AuthService } from './auth.service';
import { WechatClient } from './wechat.client';

@Module({
  controllers: [AuthController],
  providers: [AuthService, WechatClient, DevLoginEnabledGuard],
  exports: [WechatClient],
})
export class AuthModule {}
