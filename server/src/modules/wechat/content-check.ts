// WeChat's content check (msgSecCheck v2) of a wish's text, run before the wish
// enters the review queue. The verdict only marks the wish for the reviewer:
// nothing is dropped on WeChat's word, and when the check cannot run the wish is
// marked "unchecked" so a person reads it with that in mind.
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { ContentCheckResult } from '@xinyuan/shared';
import { ROOT_LOGGER } from '../../common/logging/logger';
import { WechatClient } from './wechat.client';
import { WechatAccessToken, isTokenRejected } from './wechat-access-token';

export interface ContentVerdict {
  result: ContentCheckResult;
  label: number | null;
}

@Injectable()
export class ContentChecker {
  private readonly log: Logger;

  constructor(
    private readonly wechat: WechatClient,
    private readonly token: WechatAccessToken,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ module: 'content-check' });
  }

  /** Checks text written by (or, on behalf, typed in by) the user with this openid. Never throws. */
  async check(openid: string, title: string, content: string): Promise<ContentVerdict> {
    if (!this.wechat.configured) return { result: 'unchecked', label: null };
    try {
      let token = await this.token.get();
      const ask = (t: string) => this.wechat.msgSecCheck(t, { openid, scene: 3, title, content: `${title}\n${content}` });
      let r;
      try {
        r = await ask(token);
      } catch (e) {
        if (!isTokenRejected(e)) throw e;
        token = await this.token.refreshAfterRejection(token);
        r = await ask(token);
      }
      return { result: r.suggest, label: r.label === 100 ? null : r.label };
    } catch (e) {
      this.log.warn({ err: e instanceof Error ? e.message : String(e) }, 'content check failed; the wish goes to review marked unchecked');
      return { result: 'unchecked', label: null };
    }
  }
}
