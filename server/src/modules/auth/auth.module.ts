import { Module } from '@nestjs/common';
import { WechatModule } from '../wechat/wechat.module';
import { AuthController, DevLoginEnabledGuard } from './auth.controller';
import { AuthService } from './auth.service';

@Module({
  imports: [WechatModule],
  controllers: [AuthController],
  providers: [AuthService, DevLoginEnabledGuard],
})
export class AuthModule {}
