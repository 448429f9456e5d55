// Delivers inbox messages as WeChat subscribe messages, one credit each.
// A message's wx_status: none (no template) | pending → sent | skipped (no credit,
// or the user refused: 43101) | failed (WeChat refused it, or transient errors
// went on past NOTIFY_MAX_ATTEMPTS).
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { APP_CONFIG, NOTICE_KINDS, type AppConfig, type NoticeKind } from '../../config/config';
import { Clock } from '../../common/clock';
import { ROOT_LOGGER } from '../../common/logging/logger';
import { Database } from '../../database/database';
import { WechatClient, WechatError, type WechatSubscribeMessage } from '../wechat/wechat.client';
import { subscribeData, wishPage } from './notice-content';
import { WECHAT_WAY } from './notice-delivery';
import { NotificationsRepository, type WechatDue } from './notifications.repository';
import { isTokenRejected, WechatAccessToken } from '../wechat/wechat-access-token';

export interface WechatStats {
  sent: number;
  skipped: number;
  failed: number;
  /** Transient failures left pending for a later pass. */
  retrying: number;
}

/** Retry delay after the n-th failed send (n ≥ 1): 30 s, 1 min, 2 min... at most 1 hour. */
export function wechatBackoffMs(failedAttempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, failedAttempts - 1), 3_600_000);
}

/** A taken message is left alone this long: longer than a token refresh plus two sends can take. */
const LEASE_MS = 5 * 60_000;
const BATCH = 100;
const MAX_BATCHES = 10;
/** WeChat busy (-1) and its rate limits: worth trying again later. */
const TRANSIENT_ERRCODES = new Set([-1, 45009, 45011]);

/** Could not get an access token; nothing to do with the message, so it is retried. */
class TokenUnavailable extends Error {
  constructor(reason: unknown) {
    super(`no access token: ${reason instanceof Error ? reason.message : String(reason)}`);
  }
}

type Outcome = 'sent' | 'skipped' | 'failed' | 'retrying' | 'none' | 'taken';

@Injectable()
export class SubscribeMessageSender {
  private readonly log: Logger;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly repo: NotificationsRepository,
    private readonly wechat: WechatClient,
    private readonly tokens: WechatAccessToken,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ module: 'notifications' });
  }

  /** True when inbox rows of this kind may go out on WeChat (a template is configured for it). */
  wanted(kind: NoticeKind): boolean {
    return this.wechat.configured && this.config.notify.templates[kind] !== undefined;
  }

  /**
   * The WeChat status a new inbox row of this kind starts with (notice-delivery.ts): its own
   * subscribe message, or folded into the person's daily digest (when WECHAT_TEMPLATE_DIGEST is set).
   */
  statusFor(kind: NoticeKind): 'none' | 'pending' | 'digest' {
    // Without a digest template a staff kind with a template of its own goes out on its own (as before digests).
    if (WECHAT_WAY[kind] === 'digest' && this.wanted('digest')) return 'digest';
    return this.wanted(kind) ? 'pending' : 'none';
  }

  /** Sends every due pending message (new ones and retries). */
  async deliverDue(): Promise<WechatStats> {
    const stats: WechatStats = { sent: 0, skipped: 0, failed: 0, retrying: 0 };
    for (let i = 0; i < MAX_BATCHES; i++) {
      const due = await this.repo.dueWechat(this.clock.now(), BATCH);
      for (const row of due) {
        const outcome = await this.deliver(row);
        if (outcome !== 'none' && outcome !== 'taken') stats[outcome]++;
      }
      if (due.length < BATCH) break;
    }
    return stats;
  }

  private async deliver(row: WechatDue): Promise<Outcome> {
    const kind = (NOTICE_KINDS as readonly string[]).includes(row.kind) ? (row.kind as NoticeKind) : null;
    const templateId = kind ? this.config.notify.templates[kind] : undefined;
    const now = this.clock.now();
    if (!kind || !templateId) {
      // The template was unset since the row was written.
      await this.db.tx((m) => this.repo.finishWechat(m, row.id, 'none', null, null));
      return 'none';
    }
    const taken = await this.db.tx(async (m) => {
      if (!(await this.repo.takeWechat(m, row.id, row.wxAttempts, now, new Date(now.getTime() + LEASE_MS)))) return 'taken' as const;
      // A retried message holds the credit its first attempt took.
      if (row.wxAttempts === 0 && !(await this.repo.spendCredit(m, row.userId, templateId, now))) {
        await this.repo.finishWechat(m, row.id, 'skipped', 'no subscription credit', null);
        return 'skipped' as const;
      }
      return 'go' as const;
    });
    if (taken !== 'go') return taken;

    const attempt = row.wxAttempts + 1;
    const payload = row.payload;
    if (!payload) return this.fail(row, templateId, `wish ${row.wishId} not found`);
    const message: WechatSubscribeMessage = {
      touser: row.openid,
      template_id: templateId,
      page: wishPage(row.wishId),
      miniprogram_state: this.config.notify.miniprogramState,
      lang: 'zh_CN',
      data: subscribeData({ kind, payload, at: row.at }),
    };
    try {
      await this.send(message);
    } catch (e) {
      const what = describe(e);
      if (e instanceof WechatError && e.kind === 'api' && e.errcode === 43101) {
        // The user refused, or used up what they granted: WeChat is the truth, so no credits are left.
        await this.db.tx(async (m) => {
          await this.repo.zeroCredits(m, row.userId, templateId, this.clock.now());
          await this.repo.finishWechat(m, row.id, 'skipped', what, null);
        });
        return 'skipped';
      }
      if (isTransient(e) && attempt < this.config.notify.maxAttempts) {
        const next = new Date(this.clock.now().getTime() + wechatBackoffMs(attempt));
        await this.db.tx((m) => this.repo.finishWechat(m, row.id, 'pending', what, next));
        this.log.info({ messageId: row.id, attempt, error: what }, 'subscribe message will be retried');
        return 'retrying';
      }
      return this.fail(row, templateId, what);
    }
    await this.db.tx((m) => this.repo.finishWechat(m, row.id, 'sent', null, null));
    return 'sent';
  }

  /** Gives up on a message; WeChat did not deliver it, so its credit is given back. */
  private async fail(row: WechatDue, templateId: string, error: string): Promise<'failed'> {
    await this.db.tx(async (m) => {
      await this.repo.refundCredit(m, row.userId, templateId, this.clock.now());
      await this.repo.finishWechat(m, row.id, 'failed', error, null);
    });
    this.log.warn({ messageId: row.id, error }, 'subscribe message failed');
    return 'failed';
  }

  /** One send; on 40001/42001 the token is refreshed (forced) and the send tried once more. */
  private async send(message: WechatSubscribeMessage): Promise<void> {
    const token = await this.token(() => this.tokens.get());
    try {
      await this.wechat.sendSubscribeMessage(token, message);
    } catch (e) {
      if (!isTokenRejected(e)) throw e;
      const fresh = await this.token(() => this.tokens.refreshAfterRejection(token));
      await this.wechat.sendSubscribeMessage(fresh, message);
    }
  }

  private async token(get: () => Promise<string>): Promise<string> {
    try {
      return await get();
    } catch (e) {
      throw new TokenUnavailable(e);
    }
  }
}

function isTransient(e: unknown): boolean {
  if (e instanceof TokenUnavailable) return true;
  if (!(e instanceof WechatError)) return false;
  switch (e.kind) {
    case 'network':
    case 'timeout':
    case 'bad_body':
      return true;
    case 'bad_status':
      return (e.details.httpStatus ?? 0) >= 500 || e.details.httpStatus === 429;
    case 'api':
      // A token refused again right after a forced refresh: WeChat is having a moment.
      return TRANSIENT_ERRCODES.has(e.errcode ?? 0) || isTokenRejected(e);
    default:
      return false;
  }
}

function describe(e: unknown): string {
  if (e instanceof WechatError) {
    return e.kind === 'api' ? `errcode ${e.errcode}: ${e.details.errmsg ?? ''}`.trim() : `${e.kind}: ${e.message}`;
  }
  return e instanceof Error ? e.message : String(e);
}
