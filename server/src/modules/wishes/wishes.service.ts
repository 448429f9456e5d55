import { Inject, Injectable } from '@nestjs/common';
import { availableActions, DESK_QUEUES, DESKS, LIMITS, isSensitiveWish, reasonRequiredActions, type AssigneeView, type Desk, type DeskCounts, type DeskWishSummary, type ClosureCode, type Page, type Rating, type WishDetail, type WishSummary } from '@xinyuan/shared';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { Clock } from '../../common/clock';
import type { Actor } from '../../common/auth/actor';
import { ActorLoader } from '../../common/auth/actor-loader';
import { AccessPolicy, type WishAccess } from '../../access/policy';
import { readRules, rowsSql, type Reach, type Sql } from '../../access/relations';
import { Database } from '../../database/database';
import { OrganisationsRepository } from '../organisations/organisations.repository';
import type { Organisation } from '../organisations/organisation.entity';
import { FundsService } from '../funds/funds.service';
import { PhotosService } from '../photos/photos.service';
import { UsersRepository } from '../users/users.repository';
import { assertConsented } from '../users/users.service';
import { ContentChecker, TEXT_SCENE } from '../wechat/content-check';
import { RatesRollup } from '../ledger/rates-rollup';
import { RELEASED, WishLifecycle } from './wish-lifecycle.service';
import { WishEventsRepository } from './wish-events.repository';
import { WishException } from './wishes.exception';
import { WishesRepository, type KeysetPage } from './wishes.repository';
import { timersOf, toDetail, toSummary, wishNo } from './wishes.mapper';
import { AccessLogWriter } from '../access-log/access-log.writer';
import { wishReads } from '../access-log/access-log.service';
import { sealWishPersonal } from './wish-pii';
import type { CancelWishDto, DeskListQueryDto, RejectWishDto, CompleteWishDto, ConfirmWishDto, MyWishesQueryDto, SubmitWishDto, WallQueryDto } from './wishes.dto';
import type { Wish } from './wish.entity';
import { urgeDueAt, urgeNotices, urgeOpen } from './wish-urge';
import { WishUrgesRepository } from './wish-urges.repository';
import { enqueueNotices } from '../outbox/outbox';
import { localDay, localMinute } from '../../common/time';

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
    private readonly actors: ActorLoader,
    private readonly photos: PhotosService,
    private readonly lifecycle: WishLifecycle,
    private readonly funds: FundsService,
    private readonly contentChecker: ContentChecker,
    private readonly rollup: RatesRollup,
    private readonly policy: AccessPolicy,
    private readonly accessLog: AccessLogWriter,
    private readonly urges: WishUrgesRepository,
  ) {}

  // ---- moves ----

  /**
   * Submit. A resident submits for themselves (forSelf) or for someone whose consent is
   * recorded (consentMethod); community staff file for a resident of their community the
   * same way, and may leave the phone out. Desk accounts (units, street, city) do not submit.
   */
  async submit(actor: Actor, dto: SubmitWishDto): Promise<WishDetail> {
    assertConsented(actor);
    if (!this.policy.can(actor, 'submit')) throw new WishException('SUBMIT_NOT_ALLOWED').because('submit: desk accounts do not submit');
    const forOther = dto.consentMethod !== undefined;
    if (forOther && dto.forSelf) throw new WishException('VALIDATION_FAILED', undefined, ['forSelf and consentMethod cannot both be given']);
    if (!forOther && dto.forSelf !== true) throw new WishException('BENEFICIARY_CONSENT_REQUIRED', undefined, ['send forSelf: true, or the consentMethod of the person the wish is for']);
    // Sensitive personal information (health, hardship, a child under fourteen) needs its own, separate
    // consent (PIPL Arts. 29, 31), recorded in the submit event; for someone else the submitter confirms
    // that person's (staff: in person; for a child, the guardian's).
    const sensitive = isSensitiveWish(dto);
    if (sensitive && dto.sensitiveConsent !== true) throw new WishException('SENSITIVE_CONSENT_REQUIRED', undefined, ['a sensitive category or a child beneficiary needs sensitiveConsent: true']);
    const place = await this.orgs.communityPlace(dto.communityId);
    if (!place) throw new WishException('ORG_NOT_FOUND');
    if (dto.compoundId !== undefined) {
      const compound = await this.orgs.findById(dto.compoundId);
      if (!compound || compound.kind !== 'compound' || compound.parentId !== dto.communityId) throw new WishException('COMPOUND_NOT_IN_COMMUNITY');
    }
    // Community staff filing for a resident of their community (submit_on_behalf); anyone else names a person who consented.
    const staff = forOther ? this.policy.grantsFor(actor, 'submit_on_behalf').filter((g) => g.orgId === dto.communityId) : [];
    const staffRole = staff.find((g) => g.role === 'community_admin')?.role ?? staff[0]?.role ?? null;
    if (!dto.beneficiaryPhone && !staffRole) throw new WishException('VALIDATION_FAILED', undefined, ['beneficiaryPhone is required']);
    const photoIds = dto.photoIds ?? [];
    if (photoIds.length) await this.photos.assertUsable(actor.userId, photoIds);
    const voiceIds = dto.voiceNoteId ? [dto.voiceNoteId] : [];
    if (voiceIds.length) await this.photos.assertUsable(actor.userId, voiceIds, 'audio');

    // WeChat's check of the text, with the openid of whoever typed it (the grid worker for a wish on behalf).
    const verdict = await this.contentChecker.check(actor.openid, dto.title, dto.description);
    const now = this.clock.now();
    const id = await this.db.tx(async (m) => {
      // Under the person's row lock: an account deleted meanwhile submits nothing, and their own
      // wishes nobody has taken up yet are capped (QUOTA_PENDING_WISHES), so a flood of
      // simultaneous submissions cannot pass the count together. Staff filing for residents are not capped.
      if (!(await this.users.lockLive(m, actor.userId))) throw new WishException('ACCOUNT_DELETED');
      if (!staffRole) {
        if ((await this.wishes.countPendingOf(m, actor.userId)) >= this.config.limits.pendingWishesPerUser) {
          throw new WishException('QUOTA_EXCEEDED', undefined, [`at most ${this.config.limits.pendingWishesPerUser} of your wishes may wait for review or a claim at once`]);
        }
      }
      const row: Omit<Wish, 'id'> = {
        districtId: place.districtId,
        streetId: place.streetId,
        communityId: dto.communityId,
        compoundId: dto.compoundId ?? null,
        category: dto.category,
        sensitive,
        title: dto.title,
        // Sealed before it reaches the database, with the masked forms lists show.
        ...sealWishPersonal(this.db.pii, { name: dto.beneficiaryName, phone: dto.beneficiaryPhone ?? '', address: dto.address, description: dto.description, sensitive }),
        submitterId: actor.userId,
        onBehalf: forOther,
        consentMethod: dto.consentMethod ?? null,
        state: 'pending_review',
        tier: 1,
        urgent: false,
        claimantId: null,
        claimantRole: null,
        claimantOrgId: null,
        claimedAt: null,
        proofNote: null,
        completedAt: null,
        rating: null,
        ratingComment: null,
        ratingBy: null,
        ratingConsent: null,
        resolvedAt: null,
        publishedAt: null,
        nextDueAt: null,
        windowEndsAt: null,
        dueAt: null,
        claimLeftMinutes: null,
        remindedAt: null,
        supervisedAt: null,
        assigneeId: null,
        firstClaimedAt: null,
        cancelledBySubmitter: false,
        closureCode: null,
        closureChannel: null,
        closedAt: null,
        fulfilMissedAt: null,
        firstCompletedAt: null,
        claimMs: null,
        resolveMs: null,
        duplicateOf: null,
        contentCheck: verdict.result,
        contentLabel: verdict.label,
        contentCheckedAt: verdict.result === 'unchecked' ? null : now,
        contactErasedAt: null,
        version: 0,
        createdAt: now,
        updatedAt: now,
        chainSeq: 0,
        chainHead: null,
      };
      const wishId = await this.wishes.insert(m, row);
      await this.rollup.record(m, [{ before: null, after: { ...row, id: wishId } }]);
      if (photoIds.length) await this.photos.attach(m, actor.userId, photoIds, wishId, 'wish');
      if (voiceIds.length) await this.photos.attach(m, actor.userId, voiceIds, wishId, 'voice');
      await this.events.appendFirst(m, {
        wishId,
        type: 'submit',
        fromState: null,
        toState: 'pending_review',
        fromTier: null,
        toTier: 1,
        actorId: actor.userId,
        actorRole: staffRole ?? 'resident',
        actorOrgId: staffRole ? dto.communityId : null,
        reason: null,
        payload: forOther || sensitive ? { ...(forOther ? { consentMethod: dto.consentMethod } : {}), ...(sensitive ? { sensitiveConsent: true } : {}), ...(dto.beneficiaryMinor ? { beneficiaryMinor: true } : {}) } : null,
        createdAt: now,
      });
      return wishId;
    });
    return this.detail(actor, id);
  }

  async approve(actor: Actor, id: number): Promise<WishDetail> {
    return this.answer(actor, await this.lifecycle.move(actor, id, 'approve', { patch: (_w, now) => ({ publishedAt: now }) }));
  }

  /** Reject at review: a closure code and a reason (DOMAIN.md "Closure"). */
  async reject(actor: Actor, id: number, dto: RejectWishDto): Promise<WishDetail> {
    return this.answer(actor, await this.close(actor, id, 'reject', dto));
  }

  async claim(actor: Actor, id: number): Promise<WishDetail> {
    const moved = await this.lifecycle.move(actor, id, 'claim', {
      inTx: async (m, w) => {
        // The per-person limit applies to members claiming for themselves at tier 1.
        if (w.tier !== 1) return;
        await this.users.lockForUpdate(m, actor.userId);
        const held = await this.wishes.countActiveClaims(m, actor.userId);
        if (held >= this.config.maxActiveClaims) throw new WishException('CLAIM_LIMIT_REACHED');
      },
      patch: (_w, now, role, access) => ({ claimantId: actor.userId, claimantRole: role, claimantOrgId: access.orgFor.tier_claimer ?? null, claimedAt: now }),
    });
    return this.answer(actor, moved);
  }

  /** Staff send a wish straight to tier 4; its windows count in clock hours from now. */
  async markUrgent(actor: Actor, id: number, reason: string): Promise<WishDetail> {
    return this.answer(actor, await this.lifecycle.move(actor, id, 'mark_urgent', { reason, screen: { text: reason, scene: TEXT_SCENE.comment }, patch: (w, now) => ({ urgent: true, tier: 4, publishedAt: w.publishedAt ?? now }) }));
  }

  /**
   * The active claimant hands the work to one of the claim organisation's people (access.ts
   * ASSIGNABLE); naming themselves takes the work back (no assignee).
   */
  async assign(actor: Actor, id: number, userId: number): Promise<WishDetail> {
    const moved = await this.lifecycle.move(actor, id, 'assign', {
      check: async (w) => {
        const person = await this.actors.load(userId);
        // An unknown user and one outside the organisation get the same answer.
        if (!person || !this.policy.assignable(w.claimantRole, w, person.grants)) {
          throw new WishException('ASSIGNEE_INVALID', undefined, ["userId is not one of the people of the claim's organisation"]);
        }
      },
      patch: (w) => ({ assigneeId: userId === w.claimantId ? null : userId }),
      payload: { assigneeId: userId },
    });
    return this.answer(actor, moved);
  }

  /** The people the active claimant may assign the work to. */
  async assignees(actor: Actor, id: number): Promise<AssigneeView[]> {
    const { wish, access } = await this.lifecycle.load(actor, id);
    if (!availableActions(wish.state, access.standing, access.facts).includes('assign')) {
      throw new WishException(wish.state === 'claimed' ? 'WISH_NOT_IN_SCOPE' : 'TRANSITION_NOT_ALLOWED').because('assignees: the actor may not assign this wish');
    }
    const candidates = await this.users.grantsAt(wish.communityId, wish.claimantOrgId);
    const byUser = new Map<number, { role: AssigneeView['role']; orgId: number }[]>();
    for (const g of candidates) byUser.set(g.userId, [...(byUser.get(g.userId) ?? []), g]);
    const out: { userId: number; role: AssigneeView['role'] }[] = [];
    for (const [userId, grants] of byUser) {
      const role = this.policy.assignable(wish.claimantRole, wish, grants);
      if (role) out.push({ userId, role });
    }
    const names = await this.users.names(out.map((p) => p.userId));
    return out.map((p) => ({ ...p, name: names.get(p.userId) ?? '' })).sort((a, b) => a.userId - b.userId);
  }

  async release(actor: Actor, id: number, reason?: string): Promise<WishDetail> {
    return this.answer(actor, await this.lifecycle.move(actor, id, 'release', { reason, screen: { text: reason, scene: TEXT_SCENE.comment }, patch: () => RELEASED }));
  }

  async complete(actor: Actor, id: number, dto: CompleteWishDto): Promise<WishDetail> {
    const photoIds = dto.photoIds ?? [];
    // One rule with the completion form (LIMITS.proofPhotosMin; 0: the note is the proof, photos optional).
    if (photoIds.length < LIMITS.proofPhotosMin) throw new WishException('VALIDATION_FAILED', undefined, [`photoIds needs at least ${LIMITS.proofPhotosMin} photo(s)`]);
    if (photoIds.length) await this.photos.assertUsable(actor.userId, photoIds);
    const costFen = dto.costFen ?? 0;
    const moved = await this.lifecycle.move(actor, id, 'complete', {
      inTx: async (m, w, now) => {
        if (photoIds.length) await this.photos.attach(m, actor.userId, photoIds, w.id, 'proof');
        // The cost is reported with the completion or not at all; the community committee approves it.
        if (costFen > 0) await this.funds.reportSpend(m, actor, w, costFen, now);
      },
      screen: { text: dto.note, scene: TEXT_SCENE.post },
      patch: (_w, now) => ({ proofNote: dto.note, completedAt: now }),
      payload: costFen > 0 ? { photoIds, costFen } : { photoIds },
    });
    return this.answer(actor, moved);
  }

  /**
   * Confirm and rate. For a wish filed for someone else the rating is that person's,
   * recorded on their behalf: how they consented is required and kept with who recorded it.
   */
  async confirm(actor: Actor, id: number, dto: ConfirmWishDto): Promise<WishDetail> {
    const rating: Rating = dto.rating;
    const moved = await this.lifecycle.move(actor, id, 'confirm', {
      check: (w) => {
        if (w.onBehalf && !dto.consentMethod) throw new WishException('CONSENT_METHOD_REQUIRED');
        if (!w.onBehalf && dto.consentMethod) throw new WishException('VALIDATION_FAILED', undefined, ['consentMethod is only for a wish filed for someone else']);
      },
      screen: { text: dto.comment, scene: TEXT_SCENE.comment },
      patch: (w, now) => ({ rating, ratingComment: dto.comment || null, resolvedAt: now, ...(w.onBehalf ? { ratingBy: actor.userId, ratingConsent: dto.consentMethod ?? null } : {}) }),
      payload: { rating, comment: dto.comment || null, ...(dto.consentMethod ? { consentMethod: dto.consentMethod } : {}) },
    });
    return this.answer(actor, moved);
  }

  async dispute(actor: Actor, id: number, reason: string): Promise<WishDetail> {
    return this.answer(actor, await this.lifecycle.move(actor, id, 'dispute', { reason, screen: { text: reason, scene: TEXT_SCENE.comment }, patch: () => ({ completedAt: null }) }));
  }

  /**
   * Cancel, with a closure code (DOMAIN.md "Closure"). A submitter's own cancellation is
   * `withdrawn`; the committee names its code, and a duplicate names the wish of the same
   * community that still stands (the link is kept on the wish and in the event).
   */
  async cancel(actor: Actor, id: number, dto: CancelWishDto): Promise<WishDetail> {
    return this.answer(actor, await this.close(actor, id, 'cancel', dto));
  }

  /** Reject or cancel with a closure: the code and its fields are judged once the policy has allowed the move (a stranger learns nothing). */
  private async close(actor: Actor, id: number, action: 'reject' | 'cancel', dto: CancelWishDto) {
    const dup = dto.duplicateOf;
    // Read now, judged only once the policy has allowed the move.
    const target = dup === undefined || dup === id ? null : await this.wishes.findById(dup);
    let code: ClosureCode | undefined = dto.code ?? (dup !== undefined ? 'duplicate' : undefined);
    return this.lifecycle.move(actor, id, action, {
      // Only what the person typed is checked; the generated duplicate line is ours.
      screen: { text: dto.reason, scene: TEXT_SCENE.comment },
      reason: dto.reason ?? (code === 'duplicate' ? (target ? `与心愿 ${wishNo(target)} 重复` : '重复心愿') : undefined),
      check: (w, _access, t) => {
        if (t.capacity === 'submitter') {
          // The resident (or the grid worker who filed it) withdraws it; nothing else is theirs to say.
          if (dup !== undefined) throw new WishException('WISH_NOT_IN_SCOPE', '只有社区党委可以标记重复心愿').because('cancel as duplicate: staff only');
          code ??= 'withdrawn';
          if (code !== 'withdrawn' || dto.channel !== undefined)
            throw new WishException('CLOSURE_CODE_INVALID', '本人取消只能作为“居民撤回”').because(`${action} by the submitter: code ${code}`);
          return;
        }
        if (!code) throw new WishException('CLOSURE_CODE_REQUIRED').because(`${action} by staff without a closure code`);
        if ((code === 'duplicate') !== (dup !== undefined))
          throw new WishException('CLOSURE_CODE_INVALID', code === 'duplicate' ? '重复心愿须选择与之重复的心愿' : '只有“重复心愿”可以指向另一条心愿').because(`code ${code} with duplicateOf ${dup ?? 'none'}`);
        if ((code === 'redirected') !== (dto.channel !== undefined))
          throw new WishException('CLOSURE_CODE_INVALID', code === 'redirected' ? '请填写转往的渠道，如 12345 热线' : '只有“转其他渠道办理”需要填写渠道').because(`code ${code} with channel ${dto.channel === undefined ? 'none' : 'given'}`);
        if (code === 'duplicate' && (!target || target.communityId !== w.communityId || target.state === 'cancelled' || target.state === 'rejected')) throw new WishException('DUPLICATE_TARGET_INVALID');
      },
      patch: (_w, now) => ({ closureCode: code!, closureChannel: dto.channel ?? null, closedAt: now, ...(code === 'duplicate' && target ? { duplicateOf: target.id } : {}) }),
      payload: () => ({ closure: code, ...(code === 'duplicate' && target ? { duplicateOf: target.id } : {}), ...(dto.channel ? { channel: dto.channel } : {}) }),
    });
  }

  // ---- reading ----

  /**
   * 催办 (issue 15; DOMAIN.md: the resident's right): the submitter (a resident, or the grid worker
   * who filed it) urges once per Beijing day, once the current step's expected time has passed
   * (open: the claim window it was published with, wish-urge.ts; claimed: the fulfilment deadline). It reaches the tier's
   * claimers or the active claimant as a notice, and is kept in wish_urge (not the event chain).
   */
  async urge(actor: Actor, id: number): Promise<WishDetail> {
    const { wish, access } = await this.lifecycle.load(actor, id);
    if (!access.facts.submitter) throw new WishException('WISH_NOT_IN_SCOPE', '只有心愿的提交人可以催办').because('urge: submitter only');
    const due = urgeDueAt(wish);
    if (!due) throw new WishException('URGE_NOT_APPLICABLE').because(`urge: nothing to urge in ${wish.state}`);
    const now = this.clock.now();
    if (!urgeOpen(due, now)) throw new WishException('URGE_TOO_EARLY', `还没到预计时间，${localMinute(due.from!)}之后可以催办`, [`urgeFrom=${due.from!.toISOString()}`]);
    await this.db.tx(async (m) => {
      if (!(await this.urges.insert(m, { wishId: wish.id, userId: actor.userId, day: localDay(now), state: wish.state, tier: wish.tier, at: now }))) throw new WishException('URGE_ALREADY_TODAY');
      await enqueueNotices(m, urgeNotices(wish, now), (d) => this.db.time(d));
    });
    return this.detail(actor, id);
  }

  async detail(actor: Actor, id: number): Promise<WishDetail> {
    const { wish, access } = await this.lifecycle.load(actor, id);
    return this.view(actor, wish, access, availableActions(wish.state, access.standing, access.facts));
  }

  /**
   * The answer to a move: the wish as the actor now sees it. A move that takes the wish out
   * of the actor's sight (a grid worker approving a wish they will not handle) answers with
   * it as they saw it while moving it, and nothing more to do; a later read is 404.
   */
  private async answer(actor: Actor, moved: { wish: Wish; before: WishAccess }): Promise<WishDetail> {
    const now = await this.lifecycle.accessOf(actor, moved.wish);
    return now.readable ? this.view(actor, moved.wish, now, availableActions(moved.wish.state, now.standing, now.facts)) : this.view(actor, moved.wish, moved.before, []);
  }

  /** The wish as this reader sees it; a full read of someone else's contact is logged first (and refused when it cannot be). */
  private async view(actor: Actor, wish: Wish, access: WishAccess, actions: WishDetail['actions']): Promise<WishDetail> {
    const id = wish.id;
    await this.accessLog.record(wishReads(actor, this.clock.now(), [{ wish, access }]));
    const [events, photos, orgs, urges] = await Promise.all([
      this.events.listForWish(id),
      this.photos.viewsForWishes([id], { userId: actor.userId, staff: () => access.sees.contentCheck }),
      this.orgMap([wish]),
      this.urges.timesFor(id),
    ]);
    // The organisations events were made for are nearly always the wish's own; read the others.
    const more = [...new Set(events.map((e) => e.actorOrgId ?? 0))].filter((o) => o && !orgs.has(o));
    if (more.length) for (const o of await this.orgs.findByIds(more)) orgs.set(o.id, o);
    const people = [...events.map((e) => e.actorId ?? 0), wish.claimantId ?? 0, wish.assigneeId ?? 0, wish.ratingBy ?? 0].filter(Boolean);
    const names = await this.users.names(people);
    const detail = toDetail(this.db.pii, wish, {
      now: this.clock.now(),
      orgs,
      sees: access.sees,
      photos: photos.get(id) ?? { wish: [], proof: [], voice: [] },
      events,
      names,
      actions,
      reasonRequired: reasonRequiredActions(actions, wish.state, access.standing),
      duplicateOf: wish.duplicateOf ? await this.wishes.findById(wish.duplicateOf) : null,
      urges,
      submitter: access.facts.submitter,
      handler: access.classes.has('handler'),
    });
    return { ...detail, reportable: wish.submitterId !== actor.userId };
  }

  /** The community's wall: open, non-sensitive wishes (the `wall` rows of WISH_READS for one community), masked. */
  async wall(actor: Actor, q: WallQueryDto): Promise<Page<WishSummary>> {
    const mine = [...new Set(this.policy.grantsFor(actor, 'wall').map((g) => g.orgId))];
    const communityId = q.communityId ?? (mine.length === 1 ? mine[0] : undefined);
    if (communityId === undefined) {
      throw new WishException(mine.length ? 'VALIDATION_FAILED' : 'MEMBER_NOT_VERIFIED', mine.length ? '请选择社区' : undefined);
    }
    if (!mine.includes(communityId)) throw new WishException('WISH_NOT_IN_SCOPE').because('wall: not a member or the committee of the community');
    const r = await this.policy.reach(actor);
    const page = this.page(q.cursor, q.limit, true);
    const rows = await this.wishes.list(rowsSql(readRules({ relations: ['wall'] }), { ...r, member: [communityId] }), 'published', page, { category: q.category });
    return this.summaries(actor, r, rows, page.limit, (w) => ({ time: w.publishedAt, id: w.id }));
  }

  /** Wishes the actor submitted (`own_submission`), or claimed or was assigned (`own_claim`). */
  async mine(actor: Actor, as: 'submitter' | 'claimant', q: MyWishesQueryDto): Promise<Page<WishSummary>> {
    const r = await this.policy.reach(actor);
    const page = this.page(q.cursor, q.limit, false);
    const rule = readRules({ relations: [as === 'submitter' ? 'own_submission' : 'own_claim'] }).filter((x) => x.role === 'anyone');
    const rows = await this.wishes.list(rowsSql(rule, r), 'newest', page, { state: q.state });
    return this.summaries(actor, r, rows, page.limit, (w) => ({ time: null, id: w.id }));
  }

  /** The review queue of the communities the actor reviews for (or one of them), oldest first. */
  async reviewQueue(actor: Actor, q: WallQueryDto): Promise<Page<WishSummary>> {
    const staffOf = [...new Set(this.policy.grantsFor(actor, 'review_queue').map((g) => g.orgId))];
    if (staffOf.length === 0) throw new WishException('FORBIDDEN').because('review_queue: no grant');
    if (q.communityId !== undefined && !staffOf.includes(q.communityId)) throw new WishException('WISH_NOT_IN_SCOPE').because('review_queue: not staff of the community');
    const r = await this.policy.reach(actor);
    const page = this.page(q.cursor, q.limit, false);
    const rows = await this.wishes.list(rowsSql(readRules({ relations: ['review_queue'] }), { ...r, grid: q.communityId !== undefined ? [q.communityId] : staffOf }), 'oldest', page, { category: q.category });
    return this.summaries(actor, r, rows, page.limit, (w) => ({ time: null, id: w.id }));
  }

  /** The red list (督办) under the actor's street or city/district grants: the `street` and `district` rows, supervised and still open. */
  async supervised(actor: Actor, q: MyWishesQueryDto): Promise<Page<WishSummary>> {
    if (!this.policy.can(actor, 'red_list')) throw new WishException('FORBIDDEN').because('red_list: no grant');
    const r = await this.policy.reach(actor);
    const page = this.page(q.cursor, q.limit, false);
    return this.summaries(actor, r, await this.wishes.list(redListSql(r), 'newest', page), page.limit, (w) => ({ time: null, id: w.id }));
  }

  // ---- the desks of paired units and the street (access.ts DESK_QUEUES) ----

  /** What waits at the desk's tier (open, oldest first), with each wish's claim window. */
  async deskQueue(actor: Actor, q: DeskListQueryDto): Promise<Page<DeskWishSummary>> {
    const r = await this.deskReach(actor, q.desk);
    if (q.state !== undefined) throw new WishException('VALIDATION_FAILED', undefined, ['state is for the handled list only']);
    const page = this.page(q.cursor, q.limit, false);
    const rows = await this.wishes.list(deskQueueSql(r, q.desk), 'oldest', page);
    return this.deskPage(actor, r, rows, page.limit);
  }

  /** What the desk's organisation claimed (the role's `org_claim` row), newest first; one state or all. */
  async deskHandled(actor: Actor, q: DeskListQueryDto): Promise<Page<DeskWishSummary>> {
    const r = await this.deskReach(actor, q.desk);
    const page = this.page(q.cursor, q.limit, false);
    const rows = await this.wishes.list(deskHandledSql(r, q.desk), 'newest', page, { state: q.state });
    return this.deskPage(actor, r, rows, page.limit);
  }

  /** The desks the actor holds, with the counts of their home tiles (none: an empty list). */
  async deskCounts(actor: Actor): Promise<DeskCounts[]> {
    const held = DESKS.filter((d) => this.policy.can(actor, DESK_QUEUES[d].ability));
    if (!held.length) return [];
    const r = await this.policy.reach(actor);
    return Promise.all(
      held.map(async (desk) => {
        const handled = deskHandledSql(r, desk);
        const [waiting, active, supervised] = await Promise.all([
          this.wishes.count(deskQueueSql(r, desk)),
          this.wishes.count({ sql: `${handled.sql} AND w.state IN ('claimed', 'awaiting_confirmation')`, params: handled.params }),
          desk === 'street' ? this.wishes.count(redListSql(r)) : Promise.resolve(null),
        ]);
        return { desk, waiting, active, supervised };
      }),
    );
  }

  private async deskReach(actor: Actor, desk: Desk): Promise<Reach> {
    if (!this.policy.can(actor, DESK_QUEUES[desk].ability)) throw new WishException('FORBIDDEN').because(`${desk} desk: no grant`);
    return this.policy.reach(actor);
  }

  /** A desk's page: each row as its detail shows it, with its claim window or deadline. */
  private async deskPage(actor: Actor, r: Reach, rows: Wish[], limit: number): Promise<Page<DeskWishSummary>> {
    const page = await this.summaries(actor, r, rows, limit, (w) => ({ time: null, id: w.id }));
    const now = this.clock.now();
    return { ...page, items: page.items.map((item, i) => ({ ...item, ...timersOf(rows[i], now) })) };
  }

  /** Each row as this reader sees it (the same policy decision as its detail). */
  private async summaries(actor: Actor, r: Reach, rows: Wish[], limit: number, key: (w: Wish) => { time: Date | null; id: number }): Promise<Page<WishSummary>> {
    const reads = rows.map((wish) => ({ wish, access: this.policy.wish(r, wish) }));
    // Photos still waiting for WeChat's check count for their uploader and the community's staff only.
    const staffOf = new Map(reads.map(({ wish, access }) => [wish.id, access.sees.contentCheck]));
    const [orgs, photos] = await Promise.all([this.orgMap(rows), this.photos.viewsForWishes(rows.map((w) => w.id), { userId: actor.userId, staff: (id) => staffOf.get(id) ?? false })]);
    await this.accessLog.record(wishReads(actor, this.clock.now(), reads));
    const items = reads.map(({ wish: w, access }) => {
      const actions = availableActions(w.state, access.standing, access.facts);
      return toSummary(this.db.pii, w, orgs, access.sees, photos.get(w.id)?.wish.length ?? 0, actions, reasonRequiredActions(actions, w.state, access.standing));
    });
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

/** The red list: the `street` and `district` rows the actor reads by, supervised (unclaimed through tier 4) and still open. */
function redListSql(r: Reach): Sql {
  const rows = rowsSql(readRules({ relations: ['street', 'district'] }), r);
  return { sql: `${rows.sql} AND w.supervised_at IS NOT NULL AND w.state = 'open'`, params: rows.params };
}

/** A desk's queue: its role's queue row of WISH_READS, open at the desk's tier. */
function deskQueueSql(r: Reach, desk: Desk): Sql {
  const { role, queue, tier } = DESK_QUEUES[desk];
  const rows = rowsSql(readRules({ relations: [queue], roles: [role] }), r);
  return { sql: `${rows.sql} AND w.state = 'open' AND w.tier = ${Number(tier)}`, params: rows.params };
}

/** What a desk's organisation claimed: its role's `org_claim` row. */
function deskHandledSql(r: Reach, desk: Desk): Sql {
  return rowsSql(readRules({ relations: ['org_claim'], roles: [DESK_QUEUES[desk].role] }), r);
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
