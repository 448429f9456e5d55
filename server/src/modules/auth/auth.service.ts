import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { AuthOptions, LoginResponse } from '@xinyuan/shared';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import type { Actor } from '../../common/auth/actor';
import { TokenService } from '../../common/auth/token.service';
import { Database } from '../../database/database';
import { ROOT_LOGGER } from '../../common/logging/logger';
import { UsersRepository } from '../users/users.repository';
import { UsersService } from '../users/users.service';
import { AuthException } from './auth.exception';
import { WechatClient, WechatError } from '../wechat/wechat.client';

/** WeChat errcodes of code2Session that are the caller's problem, not WeChat's. */
const CODE2SESSION_ERRORS: Record<number, AuthException['code']> = {
  40029: 'WECHAT_CODE_INVALID', // invalid code
  40163: 'WECHAT_CODE_INVALID', // code been used
  45011: 'WECHAT_RATE_LIMITED', // api minute-quota reach limit
  40226: 'WECHAT_USER_BLOCKED', // high risk user, login blocked
};

@Injectable()
export class AuthService {
  private readonly log: Logger;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly wechat: WechatClient,
    private readonly users: UsersRepository,
    private readonly usersService: UsersService,
    private readonly tokens: TokenService,
    private readonly db: Database,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ module: 'auth' });
  }

  /** Mini-program login: trades the wx.login() code for a user and a token. */
  async wechatLogin(code: string): Promise<LoginResponse> {
    let session;
    try {
      session = await this.wechat.code2Session(code);
    } catch (e) {
      throw this.toAuthException(e);
    }
    // WeChat's session_key is not kept: nothing here decrypts WeChat data with it (PIPL: collect no more than needed).
    const user = await this.users.upsertByOpenid(session.openid, session.unionid);
    this.log.info({ userId: user.id }, 'wechat login');
    return this.loginAs(user.id, user.tokenVersion);
  }

  /** Login by openid alone, for development and the demo; refused unless AUTH_DEV_LOGIN is on. */
  async devLogin(openid: string): Promise<LoginResponse> {
    this.assertDevLoginEnabled();
    const user = await this.users.upsertByOpenid(openid);
    this.log.info({ userId: user.id }, 'dev login');
    return this.loginAs(user.id, user.tokenVersion);
  }

  options(): AuthOptions {
    return { devLogin: this.config.devLogin, wechat: this.config.wechat.appId !== null };
  }

  assertDevLoginEnabled(): void {
    if (!this.config.devLogin) throw new AuthException('DEV_LOGIN_DISABLED');
  }

  /** A fresh token for a signed-in user, under the version they hold now (the mini-program renews before expiry). */
  refresh(actor: Actor): Promise<LoginResponse> {
    return this.loginAs(actor.userId, actor.tokenVersion);
  }

  /** Revokes every token of the user (all devices): the version moves on, older tokens answer 401 TOKEN_REVOKED. */
  async logout(actor: Actor): Promise<void> {
    await this.users.bumpTokenVersion(this.db.manager, actor.userId);
    this.log.info({ userId: actor.userId }, 'logout');
  }

  private async loginAs(userId: number, version: number): Promise<LoginResponse> {
    const { token, expiresAt } = this.tokens.issue(userId, version);
    return { token, expiresAt: expiresAt.toISOString(), user: await this.usersService.me(userId) };
  }

  private toAuthException(e: unknown): AuthException {
    if (!(e instanceof WechatError)) {
      this.log.error({ err: e }, 'wechat login failed unexpectedly');
      return new AuthException('WECHAT_UNAVAILABLE');
    }
    if (e.kind === 'not_configured') return new AuthException('WECHAT_UNAVAILABLE', '微信登录未配置（login via WeChat is not configured），请联系管理员');
    if (e.kind === 'api' && e.errcode !== undefined && CODE2SESSION_ERRORS[e.errcode]) return new AuthException(CODE2SESSION_ERRORS[e.errcode]);
    // -1 (system busy), other errcodes, network errors, timeouts, HTTP errors, non-JSON answers.
    return new AuthException('WECHAT_UNAVAILABLE');
  }
}
