import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import {
  ACCOUNT_DELETION_REASON,
  DELETED_USER_NAME,
  ERASED_NAME,
  ERASED_NAME_DELETED_ACCOUNT,
  ERASED_TEXT,
  WISH_CATEGORIES,
  type AccessLogEntryView,
  type DeleteAccountRequest,
  type DeleteAccountResult,
  type MessageView,
  type MyDataExport,
  type WishDetail,
} from '@xinyuan/shared';
import type { Actor } from '../../common/auth/actor';
import { Clock } from '../../common/clock';
import { ROOT_LOGGER } from '../../common/logging/logger';
import { Database } from '../../database/database';
import { AccessLogService } from '../access-log/access-log.service';
import { MembersService } from '../members/members.service';
import { MESSAGES_PAGE_MAX } from '../notifications/notifications.dto';
import { NotificationsService } from '../notifications/notifications.service';
import { PHOTO_STORAGE, type PhotoStorage } from '../photos/photo-storage';
import { UsersRepository } from '../users/users.repository';
import { UsersService } from '../users/users.service';
import { erasedWishPersonal } from '../wishes/wish-pii';
import { RELEASED, WishLifecycle } from '../wishes/wish-lifecycle.service';
import { WishException } from '../wishes/wishes.exception';
import { WishesService } from '../wishes/wishes.service';
import { ReportsService } from '../reports/reports.service';
import { PrivacyException } from './privacy.exception';
import { PrivacyRepository, type OwnWish } from './privacy.repository';

/** What a download of one's data reads in full, as the access log names it. */
export const MY_DATA_FIELDS = ['name', 'phone', 'address', 'description', 'real_name'];

const CATEGORY_LABELS = new Map<string, string>(WISH_CATEGORIES.map((c) => [c.code, c.label]));
const ACCESS_LOG_PAGE = 100;

/**
 * The resident's rights under PIPL: a copy of everything the service keeps about them (Art. 45)
 * and the deletion of their account (Art. 47). Anyone signed in may use both, for themselves only.
 */
@Injectable()
export class PrivacyService {
  private readonly log: Logger;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly repo: PrivacyRepository,
    private readonly users: UsersService,
    private readonly userRows: UsersRepository,
    private readonly wishes: WishesService,
    private readonly lifecycle: WishLifecycle,
    private readonly members: MembersService,
    private readonly notifications: NotificationsService,
    private readonly accessLog: AccessLogService,
    private readonly reports: ReportsService,
    @Inject(PHOTO_STORAGE) private readonly storage: PhotoStorage,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ module: 'privacy' });
  }

  // ---- download (Art. 45) ----

  /**
   * Everything kept about the caller, each part as the API shows it to them: the profile with the
   * full phone, every consent, their own wishes as their detail view (contact, description,
   * photos, timeline, rating), registrations in full, inbox, subscription credits and who read
   * their information. The download is written to the access log (purpose my_data) before anything
   * is read out; when it cannot be, nothing is (503 ACCESS_LOG_UNAVAILABLE).
   */
  async myData(actor: Actor): Promise<MyDataExport> {
    await this.accessLog.myDataRead(actor, MY_DATA_FIELDS);
    const generatedAt = this.clock.now();
    const [me, user, consents, wishIds, registrations, subscriptions] = await Promise.all([
      this.users.me(actor.userId),
      this.userRows.findById(actor.userId),
      this.repo.consents(actor.userId),
      this.repo.ownWishIds(actor.userId),
      this.members.mine(actor),
      this.notifications.subscriptions(actor),
    ]);
    const wishes: WishDetail[] = [];
    for (const id of wishIds) wishes.push(await this.wishes.detail(actor, id));
    return {
      generatedAt: generatedAt.toISOString(),
      profile: {
        id: actor.userId,
        nickname: me.nickname,
        phone: user ? this.db.pii.openOrNull(user.phone, 'app_user.phone') : null,
        createdAt: (user?.createdAt ?? generatedAt).toISOString(),
        roles: me.roles,
      },
      consents: consents.map((c) => ({ noticeVersion: c.noticeVersion, consentedAt: c.consentedAt.toISOString() })),
      wishes,
      registrations,
      messages: await this.allMessages(actor),
      reports: await this.reports.allMine(actor),
      subscriptions: subscriptions.items,
      accessLog: await this.allAccessLog(actor),
    };
  }

  private async allMessages(actor: Actor): Promise<MessageView[]> {
    const out: MessageView[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.notifications.list(actor, { limit: MESSAGES_PAGE_MAX, cursor });
      out.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return out;
  }

  private async allAccessLog(actor: Actor): Promise<AccessLogEntryView[]> {
    const out: AccessLogEntryView[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.accessLog.mine(actor, { limit: ACCESS_LOG_PAGE, cursor });
      out.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return out;
  }

  // ---- deletion (Art. 47) ----

  /**
   * Deletes the caller's account, in one transaction (wish events with their moves):
   * - registrations that stand are withdrawn (name, phone, work unit erased, member grant ended, claims
   *   held as a member released), the others' erased too; any other claim the person
   *   holds goes back to its tier's pool (a `release` event each);
   * - own wishes nobody claimed (pending review, open) are withdrawn: cancelled by the submitter
   *   (the resident's own "cancel before a claim", event and all), so they are in no rate;
   *   claimed and awaiting-confirmation ones go on without their contact (silence still resolves
   *   them, the claimant still completes);
   * - every own wish loses its contact, description and rating comment (placeholders; a sensitive
   *   wish's title becomes its category), and the text the person typed on its events; its facts
   *   (states, tiers, dates, claims, rating) stay, so the three rates do not move;
   * - their uploads (of their own wishes, and unattached), inbox and subscription credits go;
   * - every grant ends; the account keeps its id as the ledger's anonymous placeholder, with a new
   *   token version (every token issued before stops working).
   * Kept: consent rows (the legal basis of what was done; they hold no personal information), the
   * access log (audit), and wishes filed as community staff for residents (the residents' data).
   */
  async deleteAccount(actor: Actor, dto: DeleteAccountRequest): Promise<DeleteAccountResult> {
    // The validation pipe refused anything else already; a second look costs nothing here.
    if (dto?.confirm !== true) throw new PrivacyException('VALIDATION_FAILED', undefined, ['confirm must be true']);
    const now = this.clock.now();
    const result = await this.db.tx(async (m) => {
      const user = await this.repo.lockUser(m, actor.userId);
      if (!user || user.deletedAt) throw new PrivacyException('ACCOUNT_DELETED');

      // Claims first: the person stops handling anyone's wish.
      const regs = await this.members.withdrawAllIn(m, actor, now, ACCOUNT_DELETION_REASON);
      let releasedClaims = regs.released.length;
      for (const id of await this.repo.lockHeldClaims(m, actor.userId)) {
        if (await this.tryMove(m, actor, id, 'release')) releasedClaims++;
      }

      // Own wishes: the text they typed goes before the withdrawals below write their own reason.
      const own = await this.repo.lockOwnWishes(m, actor.userId);
      await this.redactAuthoredText(m, own, actor.userId);
      let withdrawnWishes = 0;
      let continuingWishes = 0;
      for (const w of own) {
        if (w.state === 'pending_review' || w.state === 'open') {
          await this.lifecycle.moveIn(m, actor, w.id, 'cancel', { reason: ACCOUNT_DELETION_REASON });
          withdrawnWishes++;
        } else if (w.state === 'claimed' || w.state === 'awaiting_confirmation') {
          continuingWishes++;
        }
      }
      for (const w of own) await this.repo.eraseWish(m, w.id, this.erasedColumns(w, now));

      const photos = await this.repo.ownPhotos(m, actor.userId);
      const erasedPhotos = await this.repo.deletePhotos(m, photos.map((p) => p.id));
      const erasedMessages = await this.repo.deleteMessages(m, actor.userId);
      const erasedReports = await this.reports.eraseTextOf(m, actor.userId);
      await this.repo.deleteSubscriptionCredits(m, actor.userId);
      await this.repo.revokeGrants(m, actor.userId, now);
      if (!(await this.repo.anonymiseUser(m, actor.userId, now, DELETED_USER_NAME))) throw new PrivacyException('ACCOUNT_DELETED');

      // The files last, once every row is written: a failure before leaves them all in place.
      for (const p of photos) await this.storage.remove(p.storageKey);
      return { withdrawnWishes, continuingWishes, erasedWishes: own.length, erasedPhotos, erasedMessages, erasedReports, withdrawnRegistrations: regs.withdrawn, releasedClaims };
    });
    this.log.info({ userId: actor.userId, ...result }, 'account deleted');
    return { deletedAt: now.toISOString(), ...result };
  }

  /** A release of a claim the person holds; false when the policy no longer lets them make it (the committee takes it back). */
  private async tryMove(m: EntityManager, actor: Actor, wishId: number, action: 'release'): Promise<boolean> {
    try {
      await this.lifecycle.moveIn(m, actor, wishId, action, { reason: ACCOUNT_DELETION_REASON, patch: () => RELEASED });
      return true;
    } catch (e) {
      if (e instanceof WishException) {
        this.log.warn({ wishId, code: e.code }, 'a claim of a deleted account could not be released by its holder');
        return false;
      }
      throw e;
    }
  }

  /** The columns of an own wish once erased: placeholders for contact and description, the category for a sensitive title, no comment. */
  private erasedColumns(w: OwnWish, now: Date) {
    return {
      // The wish was for the person themselves: they are a deleted user now; for someone else: just erased.
      ...erasedWishPersonal(this.db.pii, { placeholderName: w.onBehalf ? ERASED_NAME : ERASED_NAME_DELETED_ACCOUNT, sensitive: w.sensitive, description: true }),
      // A sensitive wish's title was never on the wall; it may say what the description said.
      title: w.sensitive ? (CATEGORY_LABELS.get(w.category) ?? w.title) : w.title,
      ratingComment: null,
      contactErasedAt: w.contactErasedAt ?? now,
    };
  }

  /**
   * The text the person typed on the events of their own wishes: a reason (cancel, dispute) reads
   * ERASED_TEXT, a confirmation's comment goes. The events themselves (who, when, from, to, the
   * rating, how consent was given) are not touched.
   */
  private async redactAuthoredText(m: EntityManager, own: OwnWish[], userId: number): Promise<void> {
    for (const e of await this.repo.authoredEvents(m, own.map((w) => w.id), userId)) {
      const hasComment = e.payload !== null && typeof e.payload.comment === 'string' && e.payload.comment !== '';
      if (e.reason === null && !hasComment) continue;
      await this.repo.redactEvent(m, e.id, e.reason === null ? null : ERASED_TEXT, hasComment ? { ...e.payload, comment: null } : e.payload);
    }
  }
}
