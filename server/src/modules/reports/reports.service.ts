import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { categoriesOf, REPORT_CATEGORY_LABELS, REPORT_KIND_LABELS, REPORT_LIMITS, type Page, type ReportView } from '@xinyuan/shared';
import { Clock } from '../../common/clock';
import type { Actor } from '../../common/auth/actor';
import { AccessPolicy } from '../../access/policy';
import type { VisibilityCheck } from '../../access/sees.guard';
import { Database } from '../../database/database';
import { AppException } from '../../common/errors/app.exception';
import { OrganisationsRepository } from '../organisations/organisations.repository';
import { NotificationsRepository } from '../notifications/notifications.repository';
import { UsersRepository } from '../users/users.repository';
import { assertConsented } from '../users/users.service';
import { WishLifecycle } from '../wishes/wish-lifecycle.service';
import { wishNo } from '../wishes/wishes.mapper';
import { REPORTS_PAGE_DEFAULT, type CreateReportDto, type MyReportsQueryDto, type ReportsQueryDto } from './reports.dto';
import { ReportsException } from './reports.exception';
import { deskHolds, ReportsRepository, type DeskScope, type ReportRow } from './reports.repository';

/**
 * Reports (举报) on wishes and photos, complaints (投诉与建议) about the service, and the desk
 * that answers them (shared/src/reports.ts has the rules in words).
 *
 * - Anyone signed in (consented to the privacy notice) files one. A report is about something
 *   the reporter can see now, under the same policy as GET /wishes/:id (a wish they may not read
 *   is REPORT_TARGET_NOT_FOUND, as it would be 404), and not about their own wish or photo.
 * - One open report per person and target (REPORT_DUPLICATE); at most REPORT_LIMITS.openPerUser
 *   waiting for a reply per person (QUOTA_EXCEEDED), counted under the person's row lock.
 * - The desk: the `reports` ability (the community committee, and the street and district/city
 *   above it) lists the reports of its communities and handles one with a reply; nobody handles
 *   their own. The reply reaches the reporter in the inbox, in the same transaction.
 * - A report hides nothing by itself; the committee uses the wish's own actions.
 */
@Injectable()
export class ReportsService implements VisibilityCheck {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly repo: ReportsRepository,
    private readonly policy: AccessPolicy,
    private readonly orgs: OrganisationsRepository,
    private readonly users: UsersRepository,
    private readonly notifications: NotificationsRepository,
    private readonly wishes: WishLifecycle,
  ) {}

  // ---- filing ----

  async create(actor: Actor, dto: CreateReportDto): Promise<ReportView> {
    assertConsented(actor);
    if (!categoriesOf(dto.kind).includes(dto.category)) throw new ReportsException('REPORT_CATEGORY_INVALID', undefined, [`category must be one of ${categoriesOf(dto.kind).join(', ')} for kind ${dto.kind}`]);
    const text = dto.text ?? null;
    if (!text && (dto.kind === 'complaint' || dto.category === 'other')) throw new ReportsException('VALIDATION_FAILED', '请填写具体情况', ['text is required for a complaint and for the category other']);
    const target = await this.targetOf(actor, dto);
    const now = this.clock.now();
    const id = await this.db.tx(async (m) => {
      // Under the person's row lock: the duplicate and the quota hold against simultaneous requests.
      if (!(await this.users.lockLive(m, actor.userId))) throw new ReportsException('ACCOUNT_DELETED');
      const open = await this.repo.openOf(m, actor.userId, { kind: dto.kind, wishId: target.wishId, photoId: target.photoId });
      if (open.sameTarget > 0) throw new ReportsException('REPORT_DUPLICATE');
      if (open.open >= REPORT_LIMITS.openPerUser) {
        throw new ReportsException('QUOTA_EXCEEDED', '您待答复的投诉举报已经很多了，请等已有的答复后再提交', [`at most ${REPORT_LIMITS.openPerUser} of your reports may wait for a reply at once`]);
      }
      return this.repo.insert(m, {
        reporterId: actor.userId,
        kind: dto.kind,
        category: dto.category,
        text: text === null ? null : this.db.pii.seal(text, 'report.text'),
        wishId: target.wishId,
        photoId: target.photoId,
        communityId: target.communityId,
        streetId: target.streetId,
        districtId: target.districtId,
        createdAt: now,
      });
    });
    return this.view(actor, (await this.repo.find(id))!, null);
  }

  /** What the report is about and whose desk it reaches; refuses what the reporter cannot see or wrote themselves. */
  private async targetOf(actor: Actor, dto: CreateReportDto): Promise<{ wishId: number | null; photoId: string | null; communityId: number; streetId: number; districtId: number }> {
    const only = (given: keyof CreateReportDto) => {
      const extra = (['wishId', 'photoId', 'communityId'] as const).filter((k) => k !== given && dto[k] !== undefined);
      if (extra.length) throw new ReportsException('VALIDATION_FAILED', undefined, [`kind ${dto.kind} takes no ${extra.join(', ')}`]);
    };
    if (dto.kind === 'complaint') {
      only('communityId');
      const communityId = dto.communityId ?? this.ownCommunity(actor) ?? (await this.repo.latestCommunityOf(actor.userId));
      if (communityId === null) throw new ReportsException('VALIDATION_FAILED', '请选择社区', ['communityId is required: no community of yours is known']);
      const place = await this.orgs.communityPlace(communityId);
      if (!place) throw new ReportsException('ORG_NOT_FOUND');
      return { wishId: null, photoId: null, communityId, streetId: place.streetId, districtId: place.districtId };
    }
    if (dto.kind === 'wish') {
      only('wishId');
      if (dto.wishId === undefined) throw new ReportsException('VALIDATION_FAILED', undefined, ['wishId is required for kind wish']);
      const { wish } = await this.readable(actor, dto.wishId);
      if (wish.submitterId === actor.userId) throw new ReportsException('REPORT_OWN_CONTENT');
      return { wishId: wish.id, photoId: null, communityId: wish.communityId, streetId: wish.streetId, districtId: wish.districtId };
    }
    only('photoId');
    if (dto.photoId === undefined) throw new ReportsException('VALIDATION_FAILED', undefined, ['photoId is required for kind photo']);
    const photo = await this.repo.photo(dto.photoId);
    if (!photo || photo.wishId === null) throw new ReportsException('REPORT_TARGET_NOT_FOUND').because('photo: none, or not used in a wish');
    const { wish, access } = await this.readable(actor, photo.wishId);
    // Shown to this reader exactly where the wish's detail shows it: the wish's photos with its description, proof photos with the proof.
    const shown = photo.purpose === 'proof' ? access.sees.proof && wish.completedAt !== null : access.sees.description;
    if (!shown) throw new ReportsException('REPORT_TARGET_NOT_FOUND').because('photo: not shown to the reader');
    if (photo.ownerId === actor.userId) throw new ReportsException('REPORT_OWN_CONTENT');
    return { wishId: wish.id, photoId: photo.id, communityId: wish.communityId, streetId: wish.streetId, districtId: wish.districtId };
  }

  /** The wish if the actor may read it (the policy of GET /wishes/:id), else REPORT_TARGET_NOT_FOUND. */
  private async readable(actor: Actor, wishId: number) {
    try {
      return await this.wishes.load(actor, wishId);
    } catch (e) {
      if (e instanceof AppException && e.code === 'WISH_NOT_FOUND') throw new ReportsException('REPORT_TARGET_NOT_FOUND').because(e.rule ?? 'wish: not readable');
      throw e;
    }
  }

  /** The community a person's grants name (member, grid worker, committee), if exactly one. */
  private ownCommunity(actor: Actor): number | null {
    const ids = [...new Set(actor.grants.filter((g) => g.orgKind === 'community').map((g) => g.orgId))];
    return ids.length === 1 ? ids[0] : null;
  }

  // ---- reading ----

  async mine(actor: Actor, q: MyReportsQueryDto): Promise<Page<ReportView>> {
    const limit = q.limit ?? REPORTS_PAGE_DEFAULT;
    const rows = await this.repo.listOf(actor.userId, { beforeId: cursorOf(q.cursor), limit });
    return { items: rows.map((r) => this.view(actor, r, null)), nextCursor: rows.length === limit ? String(rows[rows.length - 1].id) : null };
  }

  /** Every report the caller filed, newest first (the download of one's data). */
  async allMine(actor: Actor): Promise<ReportView[]> {
    const out: ReportView[] = [];
    let beforeId: number | undefined;
    for (;;) {
      const rows = await this.repo.listOf(actor.userId, { beforeId, limit: 500 });
      out.push(...rows.map((r) => this.view(actor, r, null)));
      if (rows.length < 500) return out;
      beforeId = rows[rows.length - 1].id;
    }
  }

  /** Account deletion, in the caller's transaction: the person's words leave their reports. */
  eraseTextOf(m: EntityManager, userId: number): Promise<number> {
    return this.repo.eraseTextOf(m, userId);
  }

  async desk(actor: Actor, q: ReportsQueryDto): Promise<Page<ReportView>> {
    const scope = await this.deskOf(actor);
    if (!scope) throw new ReportsException('FORBIDDEN').because('reports: no grant');
    if (q.communityId !== undefined) {
      const place = await this.orgs.communityPlace(q.communityId);
      if (!place) throw new ReportsException('ORG_NOT_FOUND');
      if (!deskHolds(scope, { communityId: q.communityId, ...place })) throw new ReportsException('FORBIDDEN').because('reports: community outside the grant');
    }
    const limit = q.limit ?? REPORTS_PAGE_DEFAULT;
    const rows = await this.repo.listDesk(scope, { state: q.state, kind: q.kind, communityId: q.communityId, beforeId: cursorOf(q.cursor), limit });
    const names = await this.users.names(rows.flatMap((r) => [r.reporterId, r.handledBy ?? 0]).filter(Boolean));
    return { items: rows.map((r) => this.view(actor, r, names)), nextCursor: rows.length === limit ? String(rows[rows.length - 1].id) : null };
  }

  // ---- the desk's answer ----

  /** For @Sees(ReportsService): a report that is neither the actor's own nor on their desk does not exist for them. */
  async assertVisible(actor: Actor, id: number): Promise<void> {
    await this.visible(actor, id);
  }

  async handle(actor: Actor, id: number, reply: string): Promise<ReportView> {
    const { row, onDesk } = await this.visible(actor, id);
    if (!onDesk) throw new ReportsException('FORBIDDEN').because('reports: not on the actor\'s desk');
    if (row.reporterId === actor.userId) throw new ReportsException('FORBIDDEN', '不能答复自己提交的投诉举报').because('reports: own report');
    if (row.state !== 'received') throw new ReportsException('REPORT_ALREADY_HANDLED');
    const now = this.clock.now();
    await this.db.tx(async (m) => {
      if (!(await this.repo.handle(m, id, actor.userId, reply, now))) throw new ReportsException('REPORT_ALREADY_HANDLED');
      // A deleted account has no inbox; the reply stays on the report.
      if ((await this.notifications.userStatus(m, row.reporterId)) === 'active') {
        const what = REPORT_KIND_LABELS[row.kind];
        await this.notifications.insertDirectMessage(m, {
          userId: row.reporterId,
          kind: 'report_reply',
          title: row.kind === 'complaint' ? '您的投诉与建议已答复' : '您的举报已处理',
          body: `${what}（${REPORT_CATEGORY_LABELS[row.category]}${row.wishTitle ? `：${row.wishTitle}` : ''}）答复：${reply}`,
          wishId: row.wishId,
          reportId: row.id,
          createdAt: now,
        });
      }
    });
    const after = (await this.repo.find(id))!;
    return this.view(actor, after, await this.users.names([after.reporterId, actor.userId]));
  }

  private async visible(actor: Actor, id: number): Promise<{ row: ReportRow; onDesk: boolean }> {
    const row = await this.repo.find(id);
    if (!row) throw new ReportsException('REPORT_NOT_FOUND');
    const scope = await this.deskOf(actor);
    const onDesk = scope !== null && deskHolds(scope, row);
    if (!onDesk && row.reporterId !== actor.userId) throw new ReportsException('REPORT_NOT_FOUND').because('report: neither own nor on the desk');
    return { row, onDesk };
  }

  /** The communities, streets and districts of the actor's `reports` grants; null without any. */
  private async deskOf(actor: Actor): Promise<DeskScope | null> {
    if (!this.policy.can(actor, 'reports')) return null;
    const cov = await this.policy.coverage(actor, 'reports');
    if (!cov.communities.length && !cov.streets.length && !cov.districts.length) return null;
    return { communityIds: cov.communities, streetIds: cov.streets, districtIds: cov.districts };
  }

  /** The report as this reader sees it: `names` given for the desk (who reported, who answered), null for the reporter. */
  private view(actor: Actor, r: ReportRow, names: Map<number, string> | null): ReportView {
    const desk = names !== null;
    return {
      id: r.id,
      kind: r.kind,
      category: r.category,
      text: this.db.pii.openOrNull(r.text, 'report.text'),
      wishId: r.wishId,
      wishNo: r.wishId !== null && r.wishCreatedAt ? wishNo({ id: r.wishId, createdAt: r.wishCreatedAt }) : null,
      wishTitle: r.wishTitle,
      photoId: r.photoId,
      communityId: r.communityId,
      communityName: r.communityName,
      state: r.state,
      reply: r.reply,
      handledAt: r.handledAt ? r.handledAt.toISOString() : null,
      createdAt: r.createdAt.toISOString(),
      ...(desk ? { reporterName: names.get(r.reporterId) ?? '居民', handledByName: r.handledBy !== null ? (names.get(r.handledBy) ?? null) : null } : {}),
      actions: desk && r.state === 'received' && r.reporterId !== actor.userId ? ['handle'] : [],
    };
  }
}

function cursorOf(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  if (!/^[1-9]\d{0,9}$/.test(cursor)) throw new ReportsException('VALIDATION_FAILED', '分页参数无效', ['cursor is not valid']);
  return Number(cursor);
}
