import { Injectable } from '@nestjs/common';
import { type ClosureCode, type CommunityClass, type ConsentMethod, type Rating, type Role, type Tier, type WishCategoryCode, type WishState } from '@xinyuan/shared';
import { Database } from '../../database/database';
import type { Sql } from '../../access/relations';
import { LIVE_COUNTERS, LIVE_STATES, TERMINAL_COUNTERS, countsFromRow, type DurationKind } from './rates-rollup';
import { sqlLocalMonth } from '../../common/time';
import type { RateCounts } from './rates';

/** A whole organisation whose rates are asked for. */
export interface RatesTarget {
  kind: 'community' | 'street' | 'district' | 'city';
  id: number;
}

/** A community of an organisation the rates are asked for. */
export interface TargetCommunity {
  id: number;
  communityClass: CommunityClass;
}

/** One ledger line as read: the wish row, its community and what its events add. */
export interface LedgerRow {
  id: number;
  createdAt: Date;
  title: string;
  category: WishCategoryCode;
  state: WishState;
  urgent: boolean;
  tier: Tier;
  communityId: number;
  communityName: string;
  communityClass: CommunityClass;
  submitterId: number;
  claimantId: number | null;
  /** What the access policy reads of the row (relations.ts WishFacts). */
  compoundId: number | null;
  streetId: number;
  districtId: number;
  claimantRole: Role | null;
  claimantOrgId: number | null;
  assigneeId: number | null;
  sensitive: boolean;
  claimedAt: Date | null;
  completedAt: Date | null;
  resolvedAt: Date | null;
  publishedAt: Date | null;
  supervisedAt: Date | null;
  dueAt: Date | null;
  rating: Rating | null;
  /** The first `claim` event. */
  firstClaimAt: Date | null;
  /** Resolved by an `auto_confirm` event (confirmations always carry a rating, so: resolved without one). */
  autoConfirmed: boolean;
  /** Cancelled by the submitter. */
  cancelledBySubmitter: boolean;
  closureCode: ClosureCode | null;
  /** The first end of a fulfilment window without completion. */
  fulfilMissedAt: Date | null;
  /** The consent method of a rating recorded on the resident's behalf. */
  ratingConsent: ConsentMethod | null;
  /** Recorded and approved fund spends, fen. */
  costFen: number | null;
  duplicateOf: number | null;
  /** 催办 (wish_urge): how many, and the last. */
  urgeCount: number;
  lastUrgedAt: Date | null;
}

export interface LedgerFilters {
  communityId?: number;
  streetId?: number;
  districtId?: number;
  state?: WishState;
  tierReached?: Tier;
  tierResolved?: Tier;
  category?: WishCategoryCode;
  /** created_at range, [from, to). */
  createdFrom?: Date;
  createdTo?: Date;
  /** published_at range, [from, to). */
  publishedFrom?: Date;
  publishedTo?: Date;
  claimantId?: number;
  overdue?: boolean;
  supervised?: boolean;
  /** The search box (parseLedgerSearch), as the server matches it. */
  search?: LedgerSearchFilter;
}

/**
 * A search as matched: one wish by number (its id, submitted in [from, to)), the keyed hash of
 * the beneficiary's phone (the sealed column is never read), or a part of the title.
 */
export type LedgerSearchFilter = { kind: 'no'; id: number; from: Date | null; to: Date | null } | { kind: 'phone'; hash: string | null } | { kind: 'title'; text: string };

/** A LIKE pattern for a substring, with the wildcards typed escaped by '!' (the same on SQLite and MariaDB). */
export const likeSubstring = (text: string) => `%${text.replace(/[!%_]/g, (ch) => '!' + ch)}%`;

/** A period [from, to); either end may be open. */
export type Period = { from?: Date; to?: Date };

const in_ = (col: string, ids: readonly unknown[]) => `${col} IN (${ids.map(() => '?').join(', ')})`;

const selectRow = (hint = '') => `
  SELECT w.id, w.created_at, w.title, w.category, w.state, w.urgent, w.tier, w.community_id, c.name AS community_name, c.community_class,
         w.submitter_id, w.claimant_id, w.compound_id, w.street_id, w.district_id, w.claimant_role, w.claimant_org_id, w.assignee_id, w.sensitive, w.claimed_at, w.completed_at, w.resolved_at, w.published_at, w.supervised_at, w.due_at, w.rating,
         w.first_claimed_at AS first_claim_at, w.cancelled_by_submitter, w.duplicate_of, w.closure_code, w.fulfil_missed_at, w.rating_consent,
         (SELECT SUM(s.amount_fen) FROM fund_spend s WHERE s.wish_id = w.id AND s.status IN ('recorded', 'approved')) AS cost_fen,
         (SELECT COUNT(*) FROM wish_urge u WHERE u.wish_id = w.id) AS urge_count, (SELECT MAX(u.created_at) FROM wish_urge u WHERE u.wish_id = w.id) AS last_urged_at
    FROM wish w${hint}
    JOIN organisation c ON c.id = w.community_id`;

@Injectable()
export class LedgerRepository {
  constructor(private readonly db: Database) {}

  /**
   * Spends a download link: true the first time its id is seen, false after. Ids older
   * than a day (links live 10 minutes) are cleared on the way, so the table stays small.
   */
  async spendExportLink(jti: string, userId: number, at: Date): Promise<boolean> {
    await this.db.manager.query(`DELETE FROM export_link_use WHERE used_at < ?`, [this.db.time(new Date(at.getTime() - 86_400_000))]);
    try {
      await this.db.manager.query(`INSERT INTO export_link_use (jti, user_id, used_at) VALUES (?, ?, ?)`, [jti, userId, this.db.time(at)]);
      return true;
    } catch (e) {
      // The primary key refused a second use; anything else is a real failure.
      const seen: unknown[] = await this.db.manager.query(`SELECT jti FROM export_link_use WHERE jti = ?`, [jti]);
      if (seen.length) return false;
      throw e;
    }
  }

  /** The wishes of a whole organisation (rates, ranking, dashboard): its communities, so one index serves every level. */
  targetWhere(communityIds: readonly number[]): Sql {
    return communityIds.length ? { sql: in_('w.community_id', communityIds), params: [...communityIds] } : { sql: '1 = 0', params: [] };
  }

  /** The communities of an organisation (itself for a community), by the current hierarchy, with their class. */
  async communitiesOf(t: Pick<RatesTarget, 'kind' | 'id'>): Promise<TargetCommunity[]> {
    const under: Record<RatesTarget['kind'], string> = {
      community: 'c.id = ?',
      street: 'c.parent_id = ?',
      district: `c.parent_id IN (SELECT s.id FROM organisation s WHERE s.parent_id = ?)`,
      city: `c.parent_id IN (SELECT s.id FROM organisation s WHERE s.parent_id IN (SELECT d.id FROM organisation d WHERE d.parent_id = ?))`,
    };
    const rows: { id: number; community_class: CommunityClass | null }[] = await this.db.readQuery(
      `SELECT c.id, c.community_class FROM organisation c WHERE c.kind = 'community' AND ${under[t.kind]} ORDER BY c.id`,
      [t.id],
    );
    return rows.map((r) => ({ id: Number(r.id), communityClass: r.community_class ?? 'B' }));
  }

  /**
   * The rates' counters of the published wishes not yet terminal (open, claimed,
   * awaiting confirmation) published in the period, summed by the database per
   * community (and per Beijing month when asked), judged at `asOf`. Reads
   * idx_wish_live alone; terminal wishes come from rates_rollup (terminalCounts).
   */
  async liveCounts(communityIds: readonly number[], period: Period, asOf: Date, byMonth: boolean): Promise<{ communityId: number; month: string | null; counts: RateCounts }[]> {
    if (communityIds.length === 0) return [];
    const month = byMonth ? sqlLocalMonth(this.db.isSqlite, 'w.published_at') : 'NULL';
    const range = this.range('w.published_at', period, true);
    const now = this.db.time(asOf);
    const rows: Record<string, unknown>[] = await this.db.readQuery(
      `SELECT w.community_id, ${month} AS month, ${LIVE_COUNTERS.map((k) => `SUM(CASE WHEN ${k.sql} THEN 1 ELSE 0 END) AS ${k.col}`).join(', ')}
         FROM wish w
        WHERE ${in_('w.state', LIVE_STATES)} AND ${in_('w.community_id', communityIds)} AND ${range.sql}
        GROUP BY w.community_id${byMonth ? ', month' : ''}`,
      [...LIVE_COUNTERS.flatMap((k) => Array<unknown>(k.sql.split('?').length - 1).fill(now)), ...LIVE_STATES, ...communityIds, ...range.params],
    );
    return rows.map((r) => ({ communityId: Number(r.community_id), month: byMonth ? String(r.month) : null, counts: countsFromRow(r, LIVE_COUNTERS) }));
  }

  /** The counters of terminal wishes published on Beijing days [fromDay, toDay), from rates_rollup, per community (and month). */
  async terminalCounts(communityIds: readonly number[], fromDay: string | undefined, toDay: string | undefined, byMonth: boolean): Promise<{ communityId: number; month: string | null; counts: RateCounts }[]> {
    if (communityIds.length === 0) return [];
    const month = byMonth ? 'SUBSTR(r.day, 1, 7)' : 'NULL';
    const days: string[] = [];
    const params: unknown[] = [...communityIds];
    if (fromDay) days.push('r.day >= ?'), params.push(fromDay);
    if (toDay) days.push('r.day < ?'), params.push(toDay);
    const rows: Record<string, unknown>[] = await this.db.readQuery(
      `SELECT r.community_id, ${month} AS month, ${TERMINAL_COUNTERS.map((k) => `SUM(r.${k.col}) AS ${k.col}`).join(', ')}
         FROM rates_rollup r
        WHERE ${in_('r.community_id', communityIds)}${days.map((d) => ' AND ' + d).join('')}
        GROUP BY r.community_id${byMonth ? ', ' + month : ''}`,
      params,
    );
    return rows.map((r) => ({ communityId: Number(r.community_id), month: byMonth ? String(r.month) : null, counts: countsFromRow(r, TERMINAL_COUNTERS) }));
  }

  /**
   * Wishes closed without ever being published (rejected at review, cancelled before it), by
   * closure code, counted by the day they were closed: [from, to) on closed_at (idx_wish_closed).
   */
  async closuresBeforePublication(communityIds: readonly number[], period: Period): Promise<{ code: ClosureCode | null; n: number }[]> {
    if (communityIds.length === 0) return [];
    const range = this.range('w.closed_at', period, true);
    const rows: Record<string, unknown>[] = await this.db.readQuery(
      `SELECT w.closure_code, COUNT(*) AS n FROM wish w
        WHERE ${in_('w.community_id', communityIds)} AND ${range.sql} AND w.published_at IS NULL
        GROUP BY w.closure_code`,
      [...communityIds, ...range.params],
    );
    return rows.map((r) => ({ code: (r.closure_code as ClosureCode | null) ?? null, n: Number(r.n) }));
  }

  /** How many durations of a kind fall in each bucket, per community, for wishes published in Beijing months [fromMonth, toMonth). */
  async durationHistogram(kind: DurationKind, communityIds: readonly number[], fromMonth: string | undefined, toMonth: string | undefined): Promise<{ communityId: number; bucket: number; n: number }[]> {
    if (communityIds.length === 0) return [];
    const params: unknown[] = [kind, ...communityIds];
    let months = '';
    if (fromMonth) (months += ' AND d.month >= ?'), params.push(fromMonth);
    if (toMonth) (months += ' AND d.month < ?'), params.push(toMonth);
    const rows: Record<string, unknown>[] = await this.db.readQuery(
      `SELECT d.community_id, d.bucket, SUM(d.n) AS n FROM duration_rollup d
        WHERE d.kind = ? AND ${in_('d.community_id', communityIds)}${months}
        GROUP BY d.community_id, d.bucket`,
      params,
    );
    return rows.map((r) => ({ communityId: Number(r.community_id), bucket: Number(r.bucket), n: Number(r.n) }));
  }

  /**
   * The durations themselves (ms) of wishes published in the period, read along idx_wish_durations: for a
   * small target, or the edges of a period that does not fall on whole months.
   */
  async durationsIn(communityIds: readonly number[], period: Period): Promise<{ communityId: number; claimMs: number | null; resolveMs: number | null }[]> {
    if (communityIds.length === 0) return [];
    const range = this.range('w.published_at', period, true);
    const rows: Record<string, unknown>[] = await this.db.readQuery(
      `SELECT w.community_id, w.claim_ms, w.resolve_ms FROM wish w
        WHERE ${in_('w.community_id', communityIds)} AND ${range.sql} AND (w.claim_ms IS NOT NULL OR w.resolve_ms IS NOT NULL)`,
      [...communityIds, ...range.params],
    );
    const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    return rows.map((r) => ({ communityId: Number(r.community_id), claimMs: n(r.claim_ms), resolveMs: n(r.resolve_ms) }));
  }

  /**
   * The smallest durations of a kind in [lo, hi), from the `offset`-th on, of the
   * communities' wishes published in the period: a short walk along
   * idx_wish_claim_ms / idx_wish_resolve_ms inside one bucket.
   */
  async durationsInBucket(kind: DurationKind, communityIds: readonly number[], period: Period, lo: number, hi: number, offset: number, limit: number): Promise<number[]> {
    const col = `w.${kind}_ms`;
    const parts = [`${col} IS NOT NULL`];
    const params: unknown[] = [];
    if (Number.isFinite(lo)) parts.push(`${col} >= ?`), params.push(lo);
    if (Number.isFinite(hi)) parts.push(`${col} < ?`), params.push(hi);
    const range = this.range('w.published_at', period, true);
    const rows: { ms: unknown }[] = await this.db.readQuery(
      `SELECT ${col} AS ms FROM wish w
        WHERE ${parts.join(' AND ')} AND ${in_('w.community_id', communityIds)} AND ${range.sql}
        ORDER BY ${col} LIMIT ${Math.floor(limit)} OFFSET ${Math.floor(offset)}`,
      [...params, ...communityIds, ...range.params],
    );
    return rows.map((r) => Number(r.ms));
  }

  /** Wishes submitted in Beijing months [fromMonth, toMonth) by state, tier and whether published, from bars_rollup. */
  async bars(communityIds: readonly number[], fromMonth: string, toMonth: string): Promise<{ state: WishState; tier: Tier; published: boolean; n: number }[]> {
    if (communityIds.length === 0) return [];
    const rows: Record<string, unknown>[] = await this.db.readQuery(
      `SELECT b.state, b.tier, b.published, SUM(b.n) AS n FROM bars_rollup b
        WHERE ${in_('b.community_id', communityIds)} AND b.month >= ? AND b.month < ?
        GROUP BY b.state, b.tier, b.published
        HAVING SUM(b.n) <> 0`,
      [...communityIds, fromMonth, toMonth],
    );
    return rows.map((r) => ({ state: r.state as WishState, tier: Number(r.tier) as Tier, published: Number(r.published) === 1, n: Number(r.n) }));
  }



  /** [from, to) on a time column; `notNull` keeps rows without a time out even when the period is open. */
  private range(col: string, p: Period, notNull: boolean): Sql {
    const parts: string[] = notNull ? [`${col} IS NOT NULL`] : [];
    const params: unknown[] = [];
    if (p.from) {
      parts.push(`${col} >= ?`);
      params.push(this.db.time(p.from));
    }
    if (p.to) {
      parts.push(`${col} < ?`);
      params.push(this.db.time(p.to));
    }
    return { sql: parts.length ? parts.join(' AND ') : '1 = 1', params };
  }

  private filterWhere(f: LedgerFilters, now: Date): Sql {
    const parts: string[] = [];
    const params: unknown[] = [];
    const eq = (col: string, v: unknown) => {
      if (v === undefined) return;
      parts.push(`${col} = ?`);
      params.push(v);
    };
    eq('w.community_id', f.communityId);
    eq('w.street_id', f.streetId);
    eq('w.district_id', f.districtId);
    eq('w.state', f.state);
    eq('w.tier', f.tierReached);
    eq('w.category', f.category);
    eq('w.claimant_id', f.claimantId);
    if (f.tierResolved !== undefined) {
      // A claim stops the tier, so a resolved wish's tier is the tier its claim was made at.
      parts.push(`w.state = 'resolved' AND w.tier = ?`);
      params.push(f.tierResolved);
    }
    const range = (col: string, from?: Date, to?: Date) => {
      if (from) {
        parts.push(`${col} >= ?`);
        params.push(this.db.time(from));
      }
      if (to) {
        parts.push(`${col} < ?`);
        params.push(this.db.time(to));
      }
    };
    range('w.created_at', f.createdFrom, f.createdTo);
    range('w.published_at', f.publishedFrom, f.publishedTo);
    if (f.overdue !== undefined) {
      parts.push(f.overdue ? `(w.state = 'claimed' AND w.due_at < ?)` : `NOT (w.state = 'claimed' AND w.due_at IS NOT NULL AND w.due_at < ?)`);
      params.push(this.db.time(now));
    }
    if (f.supervised !== undefined) parts.push(f.supervised ? 'w.supervised_at IS NOT NULL' : 'w.supervised_at IS NULL');
    const s = f.search;
    if (s?.kind === 'no') {
      eq('w.id', s.id);
      if (s.from && s.to) range('w.created_at', s.from, s.to);
      else parts.push('1 = 0');
    } else if (s?.kind === 'phone') {
      if (s.hash) eq('w.beneficiary_phone_hash', s.hash);
      else parts.push('1 = 0');
    } else if (s?.kind === 'title') {
      parts.push(`w.title LIKE ? ESCAPE '!'`);
      params.push(likeSubstring(s.text));
    }
    return { sql: parts.length ? parts.join(' AND ') : '1 = 1', params };
  }

  /** FORCE INDEX for a keyset page bounded by one organisation (MySQL/MariaDB; SQLite plans these well). */
  private indexHint(where: Sql, f: LedgerFilters): string {
    if (this.db.isSqlite || f.claimantId !== undefined) return '';
    // A phone or a number names a handful of rows: read them by their own index, whatever the scope.
    if (f.search?.kind === 'phone') return ' FORCE INDEX (idx_wish_phone_hash)';
    if (f.search?.kind === 'no') return ' FORCE INDEX (PRIMARY)';
    const index = f.communityId !== undefined ? 'idx_wish_community_id' : f.streetId !== undefined ? 'idx_wish_street_id' : f.districtId !== undefined ? 'idx_wish_district_id' : where.index;
    return index ? ` FORCE INDEX (${index})` : '';
  }

  /** One keyset page of ledger lines, id descending. */
  async page(where: Sql, f: LedgerFilters, now: Date, page: { beforeId?: number; limit: number }): Promise<LedgerRow[]> {
    const fw = this.filterWhere(f, now);
    const params: unknown[] = [...where.params, ...fw.params];
    let sql = `${selectRow(this.indexHint(where, f))} WHERE ${where.sql} AND ${fw.sql}`;
    if (page.beforeId !== undefined) {
      sql += ' AND w.id < ?';
      params.push(page.beforeId);
    }
    sql += ` ORDER BY w.id DESC LIMIT ${Math.floor(page.limit)}`;
    const rows: Record<string, unknown>[] = await this.db.readQuery(sql, params);
    return rows.map((r) => this.toRow(r));
  }

  /**
   * How many lines match (the ledger's total): the same conditions as page(), counted by the database.
   * On MySQL/MariaDB the count may take at most `budgetMs` (max_statement_time): a filter that no index
   * serves over a whole city scans every row of the scope, and the page must not wait for that; null then.
   */
  async count(where: Sql, f: LedgerFilters, now: Date, budgetMs: number): Promise<number | null> {
    const fw = this.filterWhere(f, now);
    const hint = f.search?.kind === 'phone' || f.search?.kind === 'no' ? this.indexHint(where, f) : '';
    const sql = `SELECT COUNT(*) AS n FROM wish w${hint} WHERE ${where.sql} AND ${fw.sql}`;
    const bounded = this.db.isSqlite ? sql : `SET STATEMENT max_statement_time = ${Math.max(0.000001, budgetMs / 1000).toFixed(6)} FOR ${sql}`;
    try {
      const rows: { n: number | string }[] = await this.db.readQuery(bounded, [...where.params, ...fw.params]);
      return Number(rows[0]?.n ?? 0);
    } catch (e) {
      const errno = (e as { driverError?: { errno?: number }; errno?: number }).driverError?.errno ?? (e as { errno?: number }).errno;
      if (errno === 1969) return null; // ER_STATEMENT_TIMEOUT: over the budget
      throw e;
    }
  }

  /** Every matching row, read in keyset batches (id descending) so memory stays bounded. */
  async *stream(where: Sql, f: LedgerFilters, now: Date, batch = 500): AsyncGenerator<LedgerRow[]> {
    let beforeId: number | undefined;
    for (;;) {
      const rows = await this.page(where, f, now, { beforeId, limit: batch });
      if (rows.length) yield rows;
      if (rows.length < batch) return;
      beforeId = rows[rows.length - 1].id;
    }
  }

  async findOne(where: Sql, id: number): Promise<LedgerRow | null> {
    const rows: Record<string, unknown>[] = await this.db.readQuery(`${selectRow()} WHERE ${where.sql} AND w.id = ?`, [...where.params, id]);
    return rows.length ? this.toRow(rows[0]) : null;
  }

  /** Members by wishes they resolved (as the resolving claimant) in [from, to), most first. */
  async ranking(where: Sql, from: Date, to: Date, limit: number): Promise<{ userId: number; resolved: number }[]> {
    const rows: { claimant_id: number; n: number | string }[] = await this.db.readQuery(
      `SELECT w.claimant_id, COUNT(*) AS n
         FROM wish w
        WHERE ${where.sql} AND w.state = 'resolved' AND w.claimant_role = 'member' AND w.claimant_id IS NOT NULL
          AND w.resolved_at >= ? AND w.resolved_at < ?
        GROUP BY w.claimant_id
        ORDER BY n DESC, w.claimant_id ASC
        LIMIT ${Math.floor(limit)}`,
      [...where.params, this.db.time(from), this.db.time(to)],
    );
    return rows.map((r) => ({ userId: Number(r.claimant_id), resolved: Number(r.n) }));
  }

  private toRow(r: Record<string, unknown>): LedgerRow {
    const t = (k: string) => this.db.readTime(r[k] as string | Date | null);
    const n = (k: string) => (r[k] === null || r[k] === undefined ? null : Number(r[k]));
    return {
      id: Number(r.id),
      createdAt: t('created_at')!,
      title: r.title as string,
      category: r.category as WishCategoryCode,
      state: r.state as WishState,
      urgent: !!Number(r.urgent),
      tier: Number(r.tier) as Tier,
      communityId: Number(r.community_id),
      communityName: r.community_name as string,
      communityClass: ((r.community_class as CommunityClass | null) ?? 'B') as CommunityClass,
      submitterId: Number(r.submitter_id),
      claimantId: n('claimant_id'),
      compoundId: n('compound_id'),
      streetId: Number(r.street_id),
      districtId: Number(r.district_id),
      claimantRole: (r.claimant_role as Role | null) ?? null,
      claimantOrgId: n('claimant_org_id'),
      assigneeId: n('assignee_id'),
      sensitive: !!Number(r.sensitive),
      claimedAt: t('claimed_at'),
      completedAt: t('completed_at'),
      resolvedAt: t('resolved_at'),
      publishedAt: t('published_at'),
      supervisedAt: t('supervised_at'),
      dueAt: t('due_at'),
      rating: (r.rating as Rating | null) ?? null,
      firstClaimAt: t('first_claim_at'),
      autoConfirmed: r.state === 'resolved' && (r.rating === null || r.rating === undefined),
      cancelledBySubmitter: !!Number(r.cancelled_by_submitter),
      closureCode: (r.closure_code as ClosureCode | null) ?? null,
      fulfilMissedAt: t('fulfil_missed_at'),
      ratingConsent: (r.rating_consent as ConsentMethod | null) ?? null,
      costFen: n('cost_fen'),
      duplicateOf: n('duplicate_of'),
      urgeCount: n('urge_count') ?? 0,
      lastUrgedAt: t('last_urged_at'),
    };
  }
}
