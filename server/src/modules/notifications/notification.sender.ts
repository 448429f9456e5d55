// Delivers the outbox: resolves each due notice's audience to people, writes one
// inbox row per person, then sends WeChat subscribe messages for those rows.
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { CLAIMERS_BY_TIER, type Tier } from '@xinyuan/shared';
import { APP_CONFIG, NOTICE_KINDS, type AppConfig, type NoticeKind } from '../../config/config';
import { Clock } from '../../common/clock';
import { ROOT_LOGGER } from '../../common/logging/logger';
import { Database } from '../../database/database';
import { QueryFailedError, type EntityManager } from 'typeorm';
import { OrganisationsRepository } from '../organisations/organisations.repository';
import { AccessPolicy, reachOf } from '../../access/policy';
import { inboxText } from './notice-content';
import { NotificationsRepository, type NoticeWish, type OutboxRow, type WishScope } from './notifications.repository';
import { audienceOf, noticePayload, type Audience } from './outbox';
import { SubscribeMessageSender, type WechatStats } from './subscribe-message.sender';
import { localDay } from '../../common/time';

export interface ProcessResult {
  /** Outbox rows looked at in this pass. */
  processed: number;
  /** Outbox rows delivered to the inbox. */
  sent: number;
  /** Outbox rows given up on (NOTIFY_MAX_ATTEMPTS failed attempts). */
  dead: number;
  /** WeChat subscribe messages in this pass (new inbox rows and retries). */
  wechat: WechatStats;
}

/** Retry delay after a notice failed `attempts` times before (0 for the first failure): 30 s · 2^attempts, at most 1 hour. */
export function outboxBackoffMs(attempts: number): number {
  return Math.min(30_000 * 2 ** attempts, 3_600_000);
}

const BATCH = 100;
const MAX_BATCHES = 20;

@Injectable()
export class NotificationSender {
  private readonly log: Logger;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly repo: NotificationsRepository,
    private readonly orgs: OrganisationsRepository,
    private readonly subscribe: SubscribeMessageSender,
    @Inject(ROOT_LOGGER) logger: Logger,
    private readonly policy: AccessPolicy,
  ) {
    this.log = logger.child({ module: 'notifications' });
  }

  /**
   * One pass: due notices in batches (each batch one transaction holding its rows, so
   * concurrent senders never take the same notice), then the WeChat sends, after the
   * inbox rows are committed. Safe to run concurrently with itself.
   */
  async processOnce(): Promise<ProcessResult> {
    const result: ProcessResult = { processed: 0, sent: 0, dead: 0, wechat: { sent: 0, skipped: 0, failed: 0, retrying: 0 } };
    for (let i = 0; i < MAX_BATCHES; i++) {
      const b = await this.db.tx((m) => this.batch(m));
      result.processed += b.processed;
      result.sent += b.sent;
      result.dead += b.dead;
      if (b.processed < BATCH) break;
    }
    result.wechat = await this.subscribe.deliverDue();
    return result;
  }

  private async batch(m: EntityManager): Promise<{ processed: number; sent: number; dead: number }> {
    const now = this.clock.now();
    const rows = await this.repo.lockDueOutbox(m, now, BATCH);
    // The notices' wishes, read once for the batch.
    const wishes = await this.repo.noticeWishes(m, rows.flatMap((r) => (r.wishId === null ? [] : [r.wishId])));
    let sent = 0;
    let dead = 0;
    for (const row of rows) {
      try {
        await this.deliver(m, row, row.wishId === null ? undefined : wishes.get(row.wishId));
        await this.repo.markOutboxSent(m, row.id, now);
        sent++;
      } catch (e) {
        // The database failing is not the notice's fault: give the whole batch up (rolled back,
        // taken again next pass) rather than charge every row an attempt, or wait out a busy
        // SQLite file once per row. A deadlock is retried by Database.tx at once.
        if (e instanceof QueryFailedError) throw e;
        const attempts = row.attempts + 1;
        const isDead = attempts >= this.config.notify.maxAttempts;
        const error = e instanceof Error ? e.message : String(e);
        await this.repo.markOutboxFailed(m, row.id, { attempts, nextAt: isDead ? now : new Date(now.getTime() + outboxBackoffMs(row.attempts)), error, dead: isDead, now });
        if (isDead) {
          dead++;
          this.log.warn({ outboxId: row.id, attempts, error }, 'notice given up');
        } else {
          this.log.info({ outboxId: row.id, attempts, error }, 'notice will be retried');
        }
      }
    }
    return { processed: rows.length, sent, dead };
  }

  private async deliver(m: EntityManager, row: OutboxRow, wish: NoticeWish | undefined): Promise<void> {
    if (!(NOTICE_KINDS as readonly string[]).includes(row.kind)) throw new Error(`unknown notice kind "${row.kind}"`);
    const kind = row.kind as NoticeKind;
    const audience = audienceOf(row.audienceType, row.audienceId);
    const payload = noticePayload(wish, row);
    if (!wish || !payload) throw new Error(`wish ${row.wishId} not found`);
    const userIds = await this.recipients(m, audience, wish, row.tier, row.createdAt);
    const { title, body } = inboxText(kind, payload);
    const wxStatus = this.subscribe.wanted(kind) ? 'pending' : 'none';
    await this.repo.insertMessages(
      m,
      userIds.map((userId) => ({ userId, outboxId: row.id, wishId: row.wishId, kind, title, body, wxStatus, createdAt: row.createdAt })),
    );
  }

  /** The people an audience means, each once, in id order. */
  async recipients(m: EntityManager, a: Audience, wish: WishScope, tier: number | null, at: Date): Promise<number[]> {
    switch (a?.type) {
      case 'user': {
        const status = await this.repo.userStatus(m, a.userId);
        if (status === null) throw new Error(`user ${a.userId} not found`);
        // A deleted account hears nothing more: its inbox went with it (the wish goes on without it).
        return status === 'deleted' ? [] : [a.userId];
      }
      case 'tier_claimers':
        return this.tierClaimers(m, wish, tier, at);
      case 'district': {
        const district = await this.orgs.findById(a.districtId);
        if (!district) throw new Error(`organisation ${a.districtId} not found`);
        const orgIds = district.parentId === null ? [district.id] : [district.id, district.parentId];
        return unique((await this.repo.activeGrants(m, ['city_admin'], orgIds)).map((g) => g.userId));
      }
      default:
        throw new Error(`unknown audience ${JSON.stringify(a)}`);
    }
  }

  /**
   * Everyone who may claim the wish at this tier, by the same rule the claim uses
   * (the access policy's tier_claimer): members of its community (not for sensitive
   * wishes), its committee and its compound's branch secretary, units paired with the
   * community on the day of the notice (Beijing date), the street's desk; never its
   * submitter, who may not claim it.
   */
  private async tierClaimers(m: EntityManager, w: WishScope, tier: number | null, at: Date): Promise<number[]> {
    if (tier !== 1 && tier !== 2 && tier !== 3 && tier !== 4) throw new Error(`tier ${tier} is not 1..4`);
    const paired = tier === 3 ? await this.orgs.unitsPairedOn(w.communityId, localDay(at)) : [];
    const scopeOrgs = [w.communityId, w.streetId, ...paired, ...(w.compoundId === null ? [] : [w.compoundId])];
    const grants = await this.repo.activeGrants(m, CLAIMERS_BY_TIER[tier as Tier], scopeOrgs);
    const byUser = new Map<number, typeof grants>();
    for (const g of grants) byUser.set(g.userId, [...(byUser.get(g.userId) ?? []), g]);
    const place = { ...w, state: 'open' as const, tier: tier as Tier, claimantRole: null, claimantOrgId: null, assigneeId: null };
    const pairings = paired.map((unitId) => ({ unitId, communityId: w.communityId }));
    const out: number[] = [];
    for (const [userId, userGrants] of byUser) {
      const access = this.policy.wish(reachOf(userId, userGrants, [], pairings), place);
      if (access.roleFor.tier_claimer && !access.facts.submitter) out.push(userId);
    }
    return out.sort((x, y) => x - y);
  }
}

function unique(ids: number[]): number[] {
  return [...new Set(ids)].sort((a, b) => a - b);
}

