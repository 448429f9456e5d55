// WeChat's content check (msgSecCheck v2) of text people write.
//
// A wish's title and description are checked before the wish enters the review queue; the
// verdict only marks the wish for the reviewer: nothing is dropped on WeChat's word, and
// when the check cannot run the wish is marked "unchecked" so a person reads it with that
// in mind.
//
// The free text a move carries (a proof note, a rating's comment, a reason) reaches other
// people at once, with no reviewer in between, so there `risky` refuses the move (the
// caller throws CONTENT_RISKY), and `review` / `unchecked` let it through, recorded on the
// move's event for the community's staff.
//
// Never throws, and never keeps the user waiting longer than WECHAT_TIMEOUT_MS in all (the
// token fetch, a token refresh and the check itself share one deadline). When WeChat is not
// configured (demo, development) it answers `unchecked` at once, without a query or a request.
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { ContentCheckResult } from '@xinyuan/shared';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { ROOT_LOGGER } from '../../common/logging/logger';
import { WechatClient, WechatError } from './wechat.client';
import { WechatAccessToken } from './wechat-access-token';

export interface ContentVerdict {
  result: ContentCheckResult;
  label: number | null;
}

/**
 * msgSecCheck's scenes (WeChat's documentation): 1 资料 (profile), 2 评论 (comment),
 * 3 论坛 (forum post), 4 社交日志 (social log). A wish and a proof note are posts others
 * read on their own (3); a reason and a rating's comment are remarks on a wish (2).
 */
export const TEXT_SCENE = { post: 3, comment: 2 } as const;
export type TextScene = (typeof TEXT_SCENE)[keyof typeof TEXT_SCENE];

/** msgSecCheck takes at most 2500 characters of content. */
const CONTENT_MAX = 2500;

const UNCHECKED: ContentVerdict = { result: 'unchecked', label: null };

@Injectable()
export class ContentChecker {
  private readonly log: Logger;

  constructor(
    private readonly wechat: WechatClient,
    private readonly token: WechatAccessToken,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ module: 'content-check' });
  }

  /** A wish's title and description, written by (or, on behalf, typed in by) the user with this openid. */
  check(openid: string, title: string, content: string): Promise<ContentVerdict> {
    return this.run(openid, `${title}\n${content}`, TEXT_SCENE.post, title);
  }

  /** One free text of a move (reason, proof note, comment). Empty text passes without a request. */
  checkText(openid: string, content: string, scene: TextScene): Promise<ContentVerdict> {
    if (content.trim() === '') return Promise.resolve({ result: 'pass', label: null });
    return this.run(openid, content, scene);
  }

  private async run(openid: string, content: string, scene: TextScene, title?: string): Promise<ContentVerdict> {
    if (!this.wechat.configured) return UNCHECKED;
    const text = content.slice(0, CONTENT_MAX);
    try {
      const r = await this.token.callWithin(this.config.wechat.timeoutMs, 'content check', (t) => this.wechat.msgSecCheck(t, { openid, scene, content: text, ...(title ? { title } : {}) }));
      return { result: r.suggest, label: r.label === 100 ? null : r.label };
    } catch (e) {
      const late = e instanceof WechatError && e.kind === 'timeout';
      this.log.warn({ err: e instanceof Error ? e.message : String(e), scene }, late ? 'content check ran out of time; the text goes on marked unchecked' : 'content check failed; the text goes on marked unchecked');
      return UNCHECKED;
    }
  }
}
