import { Inject, Injectable } from '@nestjs/common';
import { type InboxKind, type NoticeKind, type MessageView, type Page, type ReadAllResponse, type SubscriptionsView, type UnreadCountView } from '@xinyuan/shared';
import type { Actor } from '../../common/auth/actor';
import { Clock } from '../../common/clock';
import { iso } from '../../common/http/validation';
import { APP_CONFIG, NOTICE_KINDS, type AppConfig } from '../../config/config';
import { MESSAGES_PAGE_DEFAULT, type MessagesQueryDto, type SubscribeReportDto } from './notifications.dto';
import { NotificationsException } from './notifications.exception';
import { NotificationsRepository, type MessageRow } from './notifications.repository';

/** The inbox and subscribe credits of the acting user. */
@Injectable()
export class NotificationsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repo: NotificationsRepository,
    private readonly clock: Clock,
  ) {}

  async list(actor: Actor, q: MessagesQueryDto): Promise<Page<MessageView>> {
    const limit = q.limit ?? MESSAGES_PAGE_DEFAULT;
    const rows = await this.repo.listMessages(actor.userId, { beforeId: q.cursor ? decodeCursor(q.cursor) : undefined, limit, unreadOnly: q.unread === true });
    const last = rows[rows.length - 1];
    return { items: rows.map(toMessageView), nextCursor: rows.length === limit && last ? encodeCursor(last.id) : null };
  }

  async unreadCount(actor: Actor): Promise<UnreadCountView> {
    return { unread: await this.repo.unreadCount(actor.userId) };
  }

  /** Marks one of the actor's own messages read; anyone else's is not found. */
  async markRead(actor: Actor, id: number): Promise<MessageView> {
    if (!(await this.repo.findMessage(actor.userId, id))) throw new NotificationsException('MESSAGE_NOT_FOUND');
    await this.repo.markRead(actor.userId, id, this.clock.now());
    return toMessageView((await this.repo.findMessage(actor.userId, id))!);
  }

  async markAllRead(actor: Actor): Promise<ReadAllResponse> {
    return { marked: await this.repo.markAllRead(actor.userId, this.clock.now()) };
  }

  async subscriptions(actor: Actor): Promise<SubscriptionsView> {
    const configured = this.configuredTemplates();
    const credits = await this.repo.credits(actor.userId, configured.map((c) => c.templateId));
    return { items: configured.map((c) => ({ ...c, credits: credits.get(c.templateId) ?? 0 })) };
  }

  /** Records what wx.requestSubscribeMessage answered: one credit per accepted template. */
  async reportSubscriptions(actor: Actor, dto: SubscribeReportDto): Promise<SubscriptionsView> {
    const known = new Set(this.configuredTemplates().map((c) => c.templateId));
    const entries = Object.entries(dto.results).filter(([k]) => k !== 'errMsg');
    const unknown = entries.filter(([id]) => !known.has(id)).map(([id]) => id);
    if (unknown.length) throw new NotificationsException('VALIDATION_FAILED', undefined, unknown.map((id) => `results: "${id}" is not a template this server sends`));
    // 'reject', 'ban' and 'filter' leave credits as they are: WeChat keeps what was granted before.
    await this.repo.addCredits(actor.userId, entries.filter(([, r]) => r === 'accept').map(([id]) => id), this.clock.now());
    return this.subscriptions(actor);
  }

  private configuredTemplates(): { kind: NoticeKind; templateId: string }[] {
    const out: { kind: NoticeKind; templateId: string }[] = [];
    for (const kind of NOTICE_KINDS) {
      const templateId = this.config.notify.templates[kind];
      if (templateId !== undefined) out.push({ kind, templateId });
    }
    return out;
  }
}

export function toMessageView(r: MessageRow): MessageView {
  return { id: r.id, kind: r.kind as InboxKind, title: r.title, body: r.body, wishId: r.wishId, reportId: r.reportId, read: r.readAt !== null, readAt: iso(r.readAt), createdAt: r.createdAt.toISOString() };
}

export function encodeCursor(id: number): string {
  return Buffer.from(JSON.stringify([id])).toString('base64url');
}

export function decodeCursor(s: string): number {
  try {
    const v = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 1 && Number.isSafeInteger(v[0]) && v[0] > 0) return v[0] as number;
  } catch {
    /* fall through */
  }
  throw new NotificationsException('VALIDATION_FAILED', '分页参数无效', ['cursor is not valid']);
}
