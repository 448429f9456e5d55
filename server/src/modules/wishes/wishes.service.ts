import { Inject, Injectable } from '@nestjs/common';
import { availableActions, isSensitiveCategory, type Page, type Rating, type WishDetail, type WishState, type WishSummary } from '@xinyuan/shared';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { Clock } from '../../common/clock';
import { hasRole, type Actor } from '../../common/auth/actor';
import { Database } from '../../database/database';
import { OrganisationsRepository } from '../organisations/organisations.repository';
import type { Organisation } from '../organisations/organisation.entity';
import { FundsService } from '../funds/funds.service';
import { PhotosService } from '../photos/photos.service';
import { UsersRepository } from '../users/users.repository';
import { assertConsented } from '../users/users.service';
import { ContentChecker } from './content-check';
import { RatesRollup } from './rates-rollup';
import { WishLifecycle } from './wish-lifecycle.service';
import { WishEventsRepository } from './wish-events.repository';
import { WishException } from './wishes.exception';
import { WishesRepository, type KeysetPage } from './wishes.repository';
import { toDetail, toSummary, wishNo } from './wishes.mapper';
import type { CancelWishDto, CompleteWishDto, ConfirmWishDto, MyWishesQueryDto, SubmitWishDto, WallQueryDto } from './wishes.dto';
import type { Wish } from './wish.entity';

const DEFAULT_PAGE = 20;

@Injectable()
export class WishesService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly wishes: WishesRepository,
    private readonly events: WishEventsRepository,
    private readonly orgs: OrganisationsRepository,
    private readonly users: UsersRepository,
    private readonly photos: PhotosService,
    private readonly lifecycle: WishLifecycle,
    private readonly funds: FundsService,
    private readonly contentChecker: ContentChecker,
    private readonly rollup: RatesRollup,
  ) {}

  // ---- moves ----

  async submit(actor: Actor, dto: SubmitWishDto): Promise<WishDetail> {
    assertConsented(actor);
    const place = await this.orgs.communityPlace(dto.communityId);
    if (!place) throw new WishException('ORG_NOT_FOUND');
    if (dto.compoundId !== undefined) {
      const compound = await this.orgs.findById(dto.compoundId);
      if (!compound || compound.kind !== 'compound' || compound.parentId !== dto.communityId) throw new WishException('COMPOUND_NOT_IN_COMMUNITY');
    }
    // A grid worker (or community staff) submitting for someone records how that person consented.
    const onBehalf = dto.consentMethod !== undefined;
    if (onBehalf && !hasRole(actor, 'grid_worker', dto.communityId) && !hasRole(actor, 'community_admin', dto.communityId)) {
      throw new WishException('FORBIDDEN', '只有本社区的网格员可以代居民提交心愿');
    }
    const photoIds = dto.photoIds ?? [];
    if (photoIds.length) await this.photos.assertUsable(actor.userId, photoIds);

    // WeChat's check of the text, with the openid of whoever typed it (the grid worker for a wish on behalf).
    const verdict = await this.contentChecker.check(actor.openid, dto.title, dto.description);
    const now = this.clock.now();
    const id = await this.db.tx(async (m) => {
      const row: Omit<Wish, 'id'> = {
        districtId: place.districtId,
        streetId: place.streetId,
        communityId: dto.communityId,
        compoundId: dto.compoundId ?? null,
        category: dto.category,
        sensitive: isSensitiveCategory(dto.category),
        title: dto.title,
        description: dto.description,
        beneficiaryName: dto.beneficiaryName,
        beneficiaryPhone: dto.beneficiaryPhone,
        address: dto.address,
        submitterId: actor.userId,
        onBehalf,
        consentMethod: dto.consentMethod ?? null,
        state: 'pending_review',
        tier: 1,
        urgent: false,
        claimantId: null,
        claimantRole: null,
        claimedAt: null,
        proofNote: null,
        completedAt: null,
        rating: null,
        ratingComment: null,
        resolvedAt: null,
        publishedAt: null,
        nextDueAt: null,
        windowEndsAt: null,
        dueAt: null,
        remindedAt: null,
        supervisedAt: null,
        assigneeId: null,
        firstClaimedAt: null,
        cancelledBySubmitter: false,
        claimMs: null,
        resolveMs: null,
        duplicateOf: null,
        contentCheck: verdict.result,
        contentLabel: verdict.label,
        contentCheckedAt: verdict.result === 'unchecked' ? null : now,
        version: 0,
        createdAt: now,
        updatedAt: now,
      };
      const wishId = await this.wishes.insert(m, row);
      await this.rollup.record(m, [{ before: null, after: { ...row, id: wishId } }]);
      if (photoIds.length) await this.photos.attach(m, actor.userId, photoIds, wishId, 'wish');
      await this.events.append(m, {
        wishId,
        type: 'submit',
        fromState: null,
        toState: 'pending_review',
        fromTier: null,
        toTier: 1,
        actorId: actor.userId,
        actorRole: onBehalf ? 'grid_worker' : 'resident',
        reason: null,
        payload: onBehalf ? { consentMethod: dto.consentMethod } : null,
        createdAt: now,
      });
      return wishId;
    });
    return this.detail(actor, id);
  }

  async approve(actor: Actor, id: number): Promise<WishDetail> {
    await this.lifecycle.move(actor, id, 'approve', { patch: (_w, now) => ({ publishedAt: now }) });
    return this.detail(actor, id);
  }

  async reject(actor: Actor, id: number, reason: string): Promise<WishDetail> {
    await this.lifecycle.move(actor, id, 'reject', { reason });
    return this.detail(actor, id);
  }

  async claim(actor: Actor, id: number): Promise<WishDetail> {
    await this.lifecycle.move(actor, id, 'claim', {
      inTx: async (m, w) => {
        // The per-person limit applies to members claiming for themselves at tier 1.
        if (w.tier !== 1) return;
        await this.users.lockForUpdate(m, actor.userId);
        const held = await this.wishes.countActiveClaims(m, actor.userId);
        if (held >= this.config.maxActiveClaims) throw new WishException('CLAIM_LIMIT_REACHED');
      },
      patch: (_w, now, role) => ({ claimantId: actor.userId, claimantRole: role, claimedAt: now }),
    });
    return this.detail(actor, id);
  }

  /** Staff send a wish straight to tier 4; its windows count in clock hours from now. */
  async markUrgent(actor: Actor, id: number, reason: string): Promise<WishDetail> {
    await this.lifecycle.move(actor, id, 'mark_urgent', { reason, patch: (w, now) => ({ urgent: true, tier: 4, publishedAt: w.publishedAt ?? now }) });
    return this.detail(actor, id);
  }

  /** A tier-2 claim handed to one of the organisation's people or to a member of the community. */
  async assign(actor: Actor, id: number, userId: number): Promise<WishDetail> {
    const assignee = await this.users.activeGrants(userId);
    const wish = await this.wishes.findById(id);
    const fits = !!wish && assignee.some((g) => ['member', 'community_admin', 'grid_worker'].includes(g.role) && g.orgId === wish.communityId);
    if (wish && !fits) throw new WishException('VALIDATION_FAILED', '只能指派给本社区的党员或工作人员', ['userId is not a member or staff of the community']);
    await this.lifecycle.move(actor, id, 'assign', { patch: () => ({ assigneeId: userId }), payload: { assigneeId: userId } });
    return this.detail(actor, id);
  }

  async release(actor: Actor, id: number, reason?: string): Promise<WishDetail> {
    await this.lifecycle.move(actor, id, 'release', { reason, patch: () => ({ claimantId: null, claimantRole: null, claimedAt: null, assigneeId: null }) });
    return this.detail(actor, id);
  }

  async complete(actor: Actor, id: number, dto: CompleteWishDto): Promise<WishDetail> {
    const photoIds = dto.photoIds ?? [];
    if (photoIds.length) await this.photos.assertUsable(actor.userId, photoIds);
    const costFen = dto.costFen ?? 0;
    await this.lifecycle.move(actor, id, 'complete', {
      inTx: async (m, w, now) => {
        if (photoIds.length) await this.photos.attach(m, actor.userId, photoIds, w.id, 'proof');
        // The spend is written with the completion or not at all.
        if (costFen > 0) await this.funds.recordSpend(m, actor, w, costFen, now);
      },
      patch: (_w, now) => ({ proofNote: dto.note, completedAt: now }),
      payload: costFen > 0 ? { photoIds, costFen } : { photoIds },
    });
    return this.detail(actor, id);
  }

  async confirm(actor: Actor, id: number, dto: ConfirmWishDto): Promise<WishDetail> {
    const rating: Rating = dto.rating;
    await this.lifecycle.move(actor, id, 'confirm', {
      patch: (_w, now) => ({ rating, ratingComment: dto.comment || null, resolvedAt: now }),
      payload: { rating, comment: dto.comment || null },
    });
    return this.detail(actor, id);
  }

  async dispute(actor: Actor, id: number, reason: string): Promise<WishDetail> {
    await this.lifecycle.move(actor, id, 'dispute', { reason, patch: () => ({ completedAt: null }) });
    return this.detail(actor, id);
  }

  /**
   * Cancel. Staff may cancel a wish as a duplicate of another of the same community
   * that still stands; the link is kept on the wish and in the event.
   */
  async cancel(actor: Actor, id: number, dto: CancelWishDto): Promise<WishDetail> {
    const dup = dto.duplicateOf;
    if (dup === undefined) {
      await this.lifecycle.move(actor, id, 'cancel', { reason: dto.reason });
      return this.detail(actor, id);
    }
    const { wish, standing } = await this.lifecycle.load(actor, id);
    if (!standing.capacities.includes('staff')) throw new WishException('FORBIDDEN', '只有社区工作人员可以标记重复心愿');
    const target = dup === id ? null : await this.wishes.findById(dup);
    if (!target || target.communityId !== wish.communityId || target.state === 'cancelled' || target.state === 'rejected') {
      throw new WishException('DUPLICATE_TARGET_INVALID');
    }
    await this.lifecycle.move(actor, id, 'cancel', {
      reason: dto.reason ?? `与心愿 ${wishNo(target)} 重复`,
      patch: () => ({ duplicateOf: target.id }),
      payload: { duplicateOf: target.id },
    });
    return this.detail(actor, id);
  }

  // ---- reading ----

  async detail(actor: Actor, id: number): Promise<WishDetail> {
    const { wish, standing } = await this.lifecycle.load(actor, id);
    const [events, photos, orgs] = await Promise.all([
      this.events.listForWish(id),
      this.photos.viewsForWishes([id]),
      this.orgMap([wish]),
    ]);
    const names = await this.users.names([...events.map((e) => e.actorId ?? 0).filter(Boolean), ...(wish.claimantId ? [wish.claimantId] : []), ...(wish.assigneeId ? [wish.assigneeId] : [])]);
    return toDetail(wish, {
      now: this.clock.now(),
      orgs,
      seesFull: standing.seesFull,
      photos: photos.get(id) ?? { wish: [], proof: [] },
      events,
      names,
      actions: availableActions(wish.state as WishState, standing.entries),
      isStaff: standing.capacities.includes('staff'),
      duplicateOf: wish.duplicateOf ? await this.wishes.findById(wish.duplicateOf) : null,
    });
  }

  /** The community's wall: open, non-sensitive wishes, masked. */
  async wall(actor: Actor, q: WallQueryDto): Promise<Page<WishSummary>> {
    const mine = actor.grants.filter((g) => ['member', 'community_admin', 'grid_worker'].includes(g.role)).map((g) => g.orgId);
    const communityId = q.communityId ?? (new Set(mine).size === 1 ? mine[0] : undefined);
    if (communityId === undefined) {
      throw new WishException(mine.length ? 'VALIDATION_FAILED' : 'MEMBER_NOT_VERIFIED', mine.length ? '请选择社区' : undefined);
    }
    if (!mine.includes(communityId)) throw new WishException('WISH_NOT_IN_SCOPE');
    const page = this.page(q.cursor, q.limit, true);
    const rows = await this.wishes.wall(communityId, q.category, page);
    const staff = hasRole(actor, 'community_admin', communityId) || hasRole(actor, 'grid_worker', communityId);
    return this.summaries(rows, page.limit, () => staff, (w) => ({ time: w.publishedAt, id: w.id }));
  }

  /** Wishes the actor submitted (residents, grid workers) or holds as claimant (members). */
  async mine(actor: Actor, as: 'submitter' | 'claimant', q: MyWishesQueryDto): Promise<Page<WishSummary>> {
    const page = this.page(q.cursor, q.limit, false);
    const rows = await this.wishes.byPerson(actor.userId, as, q.state, page);
    return this.summaries(rows, page.limit, () => true, (w) => ({ time: null, id: w.id }));
  }

  /** The review queue of the communities the actor is staff of (or one of them), oldest first. */
  async reviewQueue(actor: Actor, q: WallQueryDto): Promise<Page<WishSummary>> {
    const staffOf = actor.grants.filter((g) => g.role === 'community_admin' || g.role === 'grid_worker').map((g) => g.orgId);
    if (staffOf.length === 0) throw new WishException('FORBIDDEN');
    if (q.communityId !== undefined && !staffOf.includes(q.communityId)) throw new WishException('WISH_NOT_IN_SCOPE');
    const page = this.page(q.cursor, q.limit, false);
    const rows = await this.wishes.pendingReview(q.communityId !== undefined ? [q.communityId] : staffOf, page);
    return this.summaries(rows, page.limit, () => true, (w) => ({ time: null, id: w.id }), true);
  }

  /** The red list (督办) for city and district departments and street desks. */
  async supervised(actor: Actor, q: MyWishesQueryDto): Promise<Page<WishSummary>> {
    const cityGrants = actor.grants.filter((g) => g.role === 'city_admin').map((g) => g.orgId);
    const streetIds = actor.grants.filter((g) => g.role === 'street_handler').map((g) => g.orgId);
    if (cityGrants.length === 0 && streetIds.length === 0) throw new WishException('FORBIDDEN');
    const orgs = await this.orgs.findByIds(cityGrants);
    const all = orgs.some((o) => o.kind === 'city');
    const districtIds = orgs.filter((o) => o.kind === 'district').map((o) => o.id);
    const page = this.page(q.cursor, q.limit, false);
    const rows = await this.wishes.supervised({ all, districtIds, streetIds }, page);
    return this.summaries(rows, page.limit, () => false, (w) => ({ time: null, id: w.id }));
  }

  /** `asStaff`: the reader is community staff of these wishes (sees them in full, with the content check). */
  private async summaries(rows: Wish[], limit: number, seesFull: (w: Wish) => boolean, key: (w: Wish) => { time: Date | null; id: number }, asStaff = false): Promise<Page<WishSummary>> {
    const [orgs, photos] = await Promise.all([this.orgMap(rows), this.photos.viewsForWishes(rows.map((w) => w.id))]);
    const items = rows.map((w) => toSummary(w, orgs, seesFull(w), photos.get(w.id)?.wish.length ?? 0, asStaff));
    const last = rows[rows.length - 1];
    return { items, nextCursor: rows.length === limit && last ? encodeCursor(key(last)) : null };
  }

  private page(cursor: string | undefined, limit: number | undefined, timed: boolean): KeysetPage {
    return { limit: limit ?? DEFAULT_PAGE, after: cursor ? decodeCursor(cursor, timed) : undefined };
  }

  private async orgMap(rows: Wish[]): Promise<Map<number, Organisation>> {
    const ids = new Set<number>();
    for (const w of rows) {
      ids.add(w.communityId);
      if (w.compoundId) ids.add(w.compoundId);
    }
    return new Map((await this.orgs.findByIds([...ids])).map((o) => [o.id, o]));
  }
}

export function encodeCursor(k: { time: Date | null; id: number }): string {
  return Buffer.from(JSON.stringify([k.time ? k.time.getTime() : null, k.id])).toString('base64url');
}

export function decodeCursor(s: string, timed: boolean): { time: Date | null; id: number } {
  try {
    const [t, id] = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as [unknown, unknown];
    if (Number.isSafeInteger(id) && (id as number) > 0 && (t === null ? !timed : Number.isSafeInteger(t))) {
      return { time: t === null ? null : new Date(t as number), id: id as number };
    }
  } catch {
    /* fall through */
  }
  throw new WishException('VALIDATION_FAILED', '分页参数无效', ['cursor is not valid']);
}
