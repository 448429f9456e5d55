// The user's own phone number from WeChat's phone-number button (phonenumber.getPhoneNumber,
// the current code flow): the mini-program sends the button's one-time code, the server
// trades it with WeChat and hands the number back to fill the user's own form. Nothing is
// stored or logged: the number goes into a wish (sealed there) only if the person submits it.
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { PhoneCodeResponse } from '@xinyuan/shared';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { ROOT_LOGGER } from '../../common/logging/logger';
import type { Actor } from '../../common/auth/actor';
import { WechatClient, WechatError } from './wechat.client';
import { WechatAccessToken } from './wechat-access-token';
import { WechatException } from './wechat.exception';

/** getPhoneNumber errcodes that mean the code is no good (invalid, used, expired, missing). */
const BAD_CODE = new Set([40029, 40163, 41008, 40003]);
/** WeChat's "too many calls". */
const RATE = new Set([45011, 45009]);

@Injectable()
export class PhoneService {
  private readonly log: Logger;

  constructor(
    private readonly wechat: WechatClient,
    private readonly token: WechatAccessToken,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ module: 'wechat-phone' });
  }

  async fromCode(actor: Actor, code: string): Promise<PhoneCodeResponse> {
    if (!this.wechat.configured) throw new WechatException('WECHAT_UNAVAILABLE', '微信手机号快速填写未配置，请手动填写手机号');
    try {
      const info = await this.token.callWithin(this.config.wechat.timeoutMs, 'getPhoneNumber', (t) => this.wechat.getUserPhoneNumber(t, code));
      if (info.appId !== null && info.appId !== this.config.wechat.appId) {
        this.log.warn({ userId: actor.userId }, 'phone number watermark names another app');
        throw new WechatException('PHONE_CODE_INVALID');
      }
      return { phone: info.countryCode === '86' ? info.purePhoneNumber : `+${info.countryCode}${info.purePhoneNumber}` };
    } catch (e) {
      if (e instanceof WechatException) throw e;
      if (e instanceof WechatError && e.kind === 'api' && e.errcode !== undefined) {
        if (BAD_CODE.has(e.errcode)) throw new WechatException('PHONE_CODE_INVALID');
        if (RATE.has(e.errcode)) throw new WechatException('WECHAT_RATE_LIMITED', '获取手机号太频繁，请稍后再试或手动填写');
      }
      this.log.warn({ userId: actor.userId, err: e instanceof Error ? e.message : String(e) }, 'phone number exchange failed');
      throw new WechatException('WECHAT_UNAVAILABLE', '暂时无法获取微信手机号，请稍后再试或手动填写');
    }
  }
}
