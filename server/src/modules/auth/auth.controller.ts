import { Body, CanActivate, Controller, Get, HttpCode, Injectable, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { AuthOptions, LoginResponse } from '@xinyuan/shared';
import type { Actor } from '../../common/auth/actor';
import { CurrentActor, Public } from '../../common/auth/decorators';
import { AuthOptionsDto, DevLoginDto, LoginResponseDto, WechatLoginDto } from './auth.dto';
import { AuthService } from './auth.service';
import { Limit } from '../../common/http/rate-limits';

/** Runs before body validation, so a disabled dev login looks absent whatever is posted. */
@Injectable()
export class DevLoginEnabledGuard implements CanActivate {
  constructor(private readonly auth: AuthService) {}
  canActivate(): boolean {
    this.auth.assertDevLoginEnabled();
    return true;
  }
}

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  /** Which ways to log in this server offers, so a client shows only those. */
  @Public()
  @Get('options')
  @ApiOkResponse({ type: AuthOptionsDto })
  options(): AuthOptions {
    return this.auth.options();
  }

  /** Mini-program login with the code from wx.login(). */
  @Public()
  @Post('wechat')
  @Limit('login')
  @HttpCode(200)
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED, or WECHAT_CODE_INVALID (code invalid or already used)' })
  @ApiResponse({ status: 403, description: 'WECHAT_USER_BLOCKED' })
  @ApiResponse({ status: 429, description: 'WECHAT_RATE_LIMITED' })
  @ApiResponse({ status: 503, description: 'WECHAT_UNAVAILABLE: WeChat busy, unreachable, too slow, or login via WeChat not configured' })
  wechat(@Body() body: WechatLoginDto): Promise<LoginResponse> {
    return this.auth.wechatLogin(body.code);
  }

  /** A fresh token for the signed-in user (the mini-program renews before the old one expires). */
  @Post('refresh')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiResponse({ status: 401, description: 'UNAUTHENTICATED, TOKEN_EXPIRED (log in again), TOKEN_REVOKED (logged out or deactivated), ACCOUNT_DELETED' })
  refresh(@CurrentActor() actor: Actor): Promise<LoginResponse> {
    return this.auth.refresh(actor);
  }

  /** Logs out everywhere: every token of the user stops working at once. */
  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiNoContentResponse({ description: 'Every token of the user is revoked' })
  logout(@CurrentActor() actor: Actor): Promise<void> {
    return this.auth.logout(actor);
  }

  /** Login by openid alone, for development and the demo (AUTH_DEV_LOGIN). */
  @Public()
  @Post('dev-login')
  @Limit('login')
  @HttpCode(200)
  @UseGuards(DevLoginEnabledGuard)
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiNotFoundResponse({ description: 'DEV_LOGIN_DISABLED' })
  devLogin(@Body() body: DevLoginDto): Promise<LoginResponse> {
    return this.auth.devLogin(body.openid);
  }
}
