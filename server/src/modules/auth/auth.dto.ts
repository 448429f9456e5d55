import type { AuthOptions } from '@xinyuan/shared';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import type { DevLoginRequest, LoginResponse, WechatLoginRequest } from '@xinyuan/shared';
import { MeDto } from '../users/users.dto';

export class WechatLoginDto implements WechatLoginRequest {
  @ApiProperty({ description: 'The code from wx.login() in the mini-program; valid once, for five minutes', minLength: 1, maxLength: 128, example: '0a3Xk1000abcDe1ZyK300Nw2sI0Xk10x' })
  @IsString()
  @Length(1, 128)
  @Matches(/^[\x21-\x7e]+$/, { message: 'code must be printable ASCII without spaces' })
  code: string;
}

export class DevLoginDto implements DevLoginRequest {
  @ApiProperty({ description: 'Any openid; the user is created on first use. Only when AUTH_DEV_LOGIN is on.', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$', example: 'demo-resident' })
  @IsString()
  @Length(1, 64)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'openid may contain only letters, digits, "_" and "-"' })
  openid: string;
}

export class LoginResponseDto implements LoginResponse {
  @ApiProperty({ description: 'Bearer token for the Authorization header' }) token: string;
  @ApiProperty({ description: 'When the token stops working (ISO-8601)' }) expiresAt: string;
  @ApiProperty({ type: MeDto }) user: MeDto;
}

export class AuthOptionsDto implements AuthOptions {
  @ApiProperty({ description: 'POST /api/auth/dev-login is available' }) devLogin: boolean;
  @ApiProperty({ description: 'POST /api/auth/wechat is configured (WECHAT_APPID/SECRET)' }) wechat: boolean;
}
