// Delivers the outbox: resolves each due notice's audience to people, writes one
// inbox row per person, then sends WeChat subscribe messages for those rows.
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { CLAIMERS_BY_TIER, type OrgKind, type Role, type Tier } from '@xinyuan/shared';
import { APP_CONFIG, NOTICE_KINDS, type AppConfig, type NoticeKind } from '../../config/config';
import { Clock } from '../../common/clock';
import { ROOT_LOGGER } from '../../common/logging/logger';
import { Database } from '../../database/database';
import type { EntityManager } from 'typeorm';
import { OrganisationsRepository } from '../organisations/organisations.repository';
import { AccessPolicy, reachOf } from '../../access/policy';
import { inboxText, noticePayload } from './notice-content';
import { digestSummary } from './notice-delivery';
import { NotificationsRepository, type NewMessage, type NoticeWish, type OutboxRow, type WishScope } from './notifications.repository';
import { audienceOf, type Audience } from '../outbox/outbox';
import { SubscribeMessageSender, type WechatStats } from './subscribe-message.sender';
import { localDay } from '../../common/time';

export interface ProcessResult {
  /** Outbox rows looked at in this pass. */
  processed: number;
  /** Outbox rows delivered to the inbox. */
  sent: number;
  /** Outbox rows given up on (NOTIFY_MAX_ATTEMPTS failed attempts). */
  dead: number;
  /** Daily digests written in this pass. */
  digests: number;
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
    const result: ProcessResult = { processed: 0, sent: 0, dead: 0, digests: 0, wechat: { sent: 0, skipped: 0, failed: 0, retrying: 0 } };
    for (let i = 0; i < MAX_BATCHES; i++) {
      const b = await this.db.tx((m) => this.batch(m));
      result.processed += b.processed;
      result.sent += b.sent;
      result.dead += b.dead;
      if (b.processed < BATCH) break;
    }
    result.digests = await this.digests();
    result.wechat = await this.subscribe.deliverDue();
    return result;
  }

  /**
   * The staff's daily digests (notice-delivery.ts): for each person with lines waiting, once per
   * Beijing day, one inbox line summing them up, sent as one subscribe message if they gave a
   * digest credit. Returns how many digests were written.
   */
  async digests(): Promise<number> {
    let n = 0;
    for (const userId of await this.repo.digestUsers()) {
      const now = this.clock.now();
      const wrote = await this.db.tx(async (m) => {
        if (!(await this.repo.takeDay(m, `digest:${userId}`, localDay(now), now))) return false;
        const counts = await this.repo.takeDigestLines(m, userId);
        const summary = digestSummary(counts);
        if (!summary) return false;
        await this.repo.insertDigest(m, userId, summary, `您有新的待办：${summary}。请在消息中心查看。`, this.subscribe.wanted('digest') ? 'pending' : 'none', now);
        return true;
      });
      if (wrote) n++;
    }
    return n;
  }

  /**
   * One batch in a fixed handful of statements, however many notices it holds: lock the due
   * rows, read their wishes, the people their audiences name (users' status; the grants of every
   * tier's claimers, districts and committees at once; the pairings of the tier-3 communities),
   * one multi-row inbox insert, one update marking them sent. A row that cannot be delivered
   * (unknown kind, wish or user gone) is charged an attempt on its own.
   */
  private async batch(m: EntityManager): Promise<{ processed: number; sent: number; dead: number }> {
    const now = this.clock.now();
    const rows = await this.repo.lockDueOutbox(m, now, BATCH);
    if (rows.length === 0) return { processed: 0, sent: 0, dead: 0 };
    // The notices' wishes, read once for the batch.
    const wishes = await this.repo.noticeWishes(m, rows.flatMap((r) => (r.wishId === null ? [] : [r.wishId])));
    const plans: { row: OutboxRow; kind: NoticeKind; audience: Audience; wish: NoticeWish }[] = [];
    const failed: { row: OutboxRow; error: string }[] = [];
    for (const row of rows) {
      try {
        if (!(NOTICE_KINDS as readonly string[]).includes(row.kind)) throw new Error(`unknown notice kind "${row.kind}"`);
        const wish = row.wishId === null ? undefined : wishes.get(row.wishId);
        if (!wish) throw new Error(`wish ${row.wishId} not found`);
        plans.push({ row, kind: row.kind as NoticeKind, audience: audienceOf(row.audienceType, row.audienceId), wish });
      } catch (e) {
        failed.push({ row, error: e instanceof Error ? e.message : String(e) });
      }
    }
    const people = await this.resolveAll(m, plans);
    const messages: NewMessage[] = [];
    const done: number[] = [];
    for (const p of plans) {
      const userIds = people.get(p.row.id);
      if (userIds instanceof Error) {
        failed.push({ row: p.row, error: userIds.message });
        continue;
      }
      const { title, body } = inboxText(p.kind, noticePayload(p.wish, p.row)!);
      const wxStatus = this.subscribe.statusFor(p.kind);
      for (const userId of userIds ?? []) messages.push({ userId, outboxId: p.row.id, wishId: p.row.wishId, kind: p.kind, title, body, wxStatus, createdAt: p.row.createdAt });
      done.push(p.row.id);
    }
    await this.repo.insertMessages(m, messages);
    await this.repo.markOutboxSent(m, done, now);
    let dead = 0;
    for (const { row, error } of failed) {
      const attempts = row.attempts + 1;
      const isDead = attempts >= this.config.notify.maxAttempts;
      await this.repo.markOutboxFailed(m, row.id, { attempts, nextAt: isDead ? now : new Date(now.getTime() + outboxBackoffMs(row.attempts)), error, dead: isDead, now });
      if (isDead) {
        dead++;
        this.log.warn({ outboxId: row.id, attempts, error }, 'notice given up');
      } else {
        this.log.info({ outboxId: row.id, attempts, error }, 'notice will be retried');
      }
    }
    return { processed: rows.length, sent: done.length, dead };
  }

  /** The people each notice's audience means (each once, in id order), or why it names none it can deliver to. */
  private async resolveAll(m: EntityManager, plans: { row: OutboxRow; audience: Audience; wish: NoticeWish }[]): Promise<Map<number, number[] | Error>> {
    const out = new Map<number, number[] | Error>();
    const userIds = plans.flatMap((p) => (p.audience.type === 'user' ? [p.audience.userId] : []));
    const statuses = await this.repo.userStatuses(m, userIds);
    // Tier claimers: the pairings of tier-3 notices' communities on their days, then every grant any of them may use, at once.
    const tierPlans = plans.filter((p) => p.audience.type === 'tier_claimers');
    const pairings = new Map<string, number[]>();
    for (const p of tierPlans) {
      if (p.row.tier !== 3) continue;
      const key = `${p.wish.communityId}|${localDay(p.row.createdAt)}`;
      if (!pairings.has(key)) pairings.set(key, await this.orgs.unitsPairedOn(p.wish.communityId, localDay(p.row.createdAt)));
    }
    const pairedOf = (p: { row: OutboxRow; wish: NoticeWish }): number[] => (p.row.tier === 3 ? (pairings.get(`${p.wish.communityId}|${localDay(p.row.createdAt)}`) ?? []) : []);
    const scopeOf = (p: { row: OutboxRow; wish: NoticeWish }): number[] => {
      const w = p.wish;
      return [w.communityId, w.streetId, ...pairedOf(p), ...(w.compoundId === null ? [] : [w.compoundId])];
    };
    const tierRoles = [...new Set(tierPlans.flatMap((p) => (isTier(p.row.tier) ? CLAIMERS_BY_TIER[p.row.tier] : [])))];
    const tierGrants = await this.repo.activeGrants(m, tierRoles, [...new Set(tierPlans.flatMap(scopeOf))]);
    // Districts (and their cities) and committees.
    const districtIds = plans.flatMap((p) => (p.audience.type === 'district' ? [p.audience.districtId] : []));
    const districts = new Map((districtIds.length ? await this.orgs.findByIds([...new Set(districtIds)]) : []).map((o) => [o.id, o]));
    const cityOrgs = [...districts.values()].flatMap((d) => (d.parentId === null ? [d.id] : [d.id, d.parentId]));
    const cityGrants = await this.repo.activeGrants(m, ['city_admin'], [...new Set(cityOrgs)]);
    const committeeIds = plans.flatMap((p) => (p.audience.type === 'committee' ? [p.audience.communityId] : []));
    const committeeGrants = await this.repo.activeGrants(m, ['community_admin'], [...new Set(committeeIds)]);
    for (const p of plans) {
      const a = p.audience;
      if (a.type === 'user') {
        const status = statuses.get(a.userId);
        // A deleted account hears nothing more: its inbox went with it (the wish goes on without it).
        out.set(p.row.id, status === undefined ? new Error(`user ${a.userId} not found`) : status === 'deleted' ? [] : [a.userId]);
      } else if (a.type === 'tier_claimers') {
        if (!isTier(p.row.tier)) {
          out.set(p.row.id, new Error(`tier ${p.row.tier} is not 1..4`));
          continue;
        }
        const scope = new Set(scopeOf(p));
        const roles = new Set<string>(CLAIMERS_BY_TIER[p.row.tier]);
        out.set(p.row.id, this.tierClaimers(p.wish, p.row.tier, tierGrants.filter((g) => scope.has(g.orgId) && roles.has(g.role)), pairedOf(p)));
      } else if (a.type === 'district') {
        const d = districts.get(a.districtId);
        if (!d) {
          out.set(p.row.id, new Error(`organisation ${a.districtId} not found`));
          continue;
        }
        const orgs = new Set(d.parentId === null ? [d.id] : [d.id, d.parentId]);
        out.set(p.row.id, unique(cityGrants.filter((g) => orgs.has(g.orgId)).map((g) => g.userId)));
      } else {
        out.set(p.row.id, unique(committeeGrants.filter((g) => g.orgId === a.communityId).map((g) => g.userId)));
      }
    }
    return out;
  }

  /** The people an audience means, each once, in id order (one notice at a time: tests and tools). */
  async recipients(m: EntityManager, a: Audience, wish: NoticeWish, tier: number | null, at: Date): Promise<number[]> {
    const row: OutboxRow = { id: 0, wishId: wish.id, kind: 'escalated', audienceType: a.type, audienceId: null, tier, note: null, attempts: 0, createdAt: at };
    const r = (await this.resolveAll(m, [{ row, audience: a, wish }])).get(0)!;
    if (r instanceof Error) throw r;
    return r;
  }

  /**
   * Everyone who may claim the wish at this tier, by the same rule the claim uses
   * (the access policy's tier_claimer): members of its community (not for sensitive
   * wishes), its committee and its compound's branch secretary, units paired with the
   * community on the day of the notice (Beijing date), the street's desk; never its
   * submitter, who may not claim it.
   */
  private tierClaimers(w: WishScope, tier: Tier, grants: { userId: number; role: Role; orgId: number; orgKind: OrgKind }[], paired: number[]): number[] {
    const byUser = new Map<number, typeof grants>();
    for (const g of grants) byUser.set(g.userId, [...(byUser.get(g.userId) ?? []), g]);
    const place = { ...w, state: 'open' as const, tier, claimantRole: null, claimantOrgId: null, assigneeId: null };
    const pairings = paired.map((unitId) => ({ unitId, communityId: w.communityId }));
    const out: number[] = [];
    for (const [userId, userGrants] of byUser) {
      const access = this.policy.wish(reachOf(userId, userGrants, [], pairings), place);
      if (access.roleFor.tier_claimer && !access.facts.submitter) out.push(userId);
    }
    return out.sort((x, y) => x - y);
  }
}

function isTier(t: number | null): t is Tier {
  return t === 1 || t === 2 || t === 3 || t === 4;
}

function unique(ids: number[]): number[] {
  return [...new Set(ids)].sort((a, b) => a - b);
}

