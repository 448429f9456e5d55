import { Injectable } from '@nestjs/common';
import { CLAIM_CYCLES_FLAGGED, CONSENT_METHODS, QUICK_COMPLETION_MS, type ConsentMethod, type IntegrityFlagCode } from '@xinyuan/shared';
import { Database } from '../../database/database';
import type { Sql } from '../../access/relations';
import type { Period } from './ledger.repository';

/** The counts behind the integrity flags of one target and period (see integrityCounts). */
export interface IntegrityCounts {
  published: number;
  resolved: number;
  silent: number;
  rated: number;
  onBehalf: number;
  onBehalfBy: { method: ConsentMethod | null; count: number }[];
  claimed: number;
  beneficiaryClaim: number;
  cycleWishes: number;
  cycles: number;
  completed: number;
  quick: number;
  selfApproval: number;
}

const in_ = (col: string, ids: readonly unknown[]) => `${col} IN (${ids.map(() => '?').join(', ')})`;
const list = (xs: readonly string[]) => xs.map((x) => `'${x}'`).join(', ');
/** Events that end a claim and give the wish back to its tier: one claim–release cycle each. */
const CYCLE_ENDS = ['release', 'expire_claim'] as const;

/**
 * Integrity flags, each written once as a condition on `wish w` and used both to count and to
 * list. Every event question is answered by idx_wish_event_flags (wish_id, type, created_at,
 * actor_id) alone; the cheap row conditions in front keep the event probes to wishes that can
 * hold the flag.
 */
@Injectable()
export class IntegrityRepository {
  constructor(private readonly db: Database) {}

  /** `t` plus the quick-completion span, in the database's own time arithmetic. */
  private plusQuick(t: string): string {
    const s = Math.round(QUICK_COMPLETION_MS / 1000);
    return this.db.isSqlite ? `strftime('%Y-%m-%d %H:%M:%f', ${t}, '+${s} seconds')` : `DATE_ADD(${t}, INTERVAL ${s} SECOND)`;
  }

  /** The number of claim–release cycles of `w` (0 for a wish never claimed). */
  private cyclesOf(): string {
    // Two cycles take two claims, so the latest claim (claimed_at) is no longer the first one, or was cleared by the
    // last release: the events are counted only for such wishes (a wish claimed once and held has at most one cycle).
    return `CASE WHEN w.first_claimed_at IS NULL OR w.claimed_at = w.first_claimed_at THEN 0 ELSE (SELECT COUNT(*) FROM wish_event x WHERE x.wish_id = w.id AND x.type IN (${list(CYCLE_ENDS)})) END`;
  }

  /** The flag as a condition on `wish w`. */
  flagSql(flag: IntegrityFlagCode): string {
    switch (flag) {
      case 'silent_confirmation':
        // Resolved by the sweeper after the confirmation period, without the resident.
        // Resolved without a rating: by the sweeper's auto_confirm (a confirmation always carries one; the ledger's autoConfirmed).
        return `(w.state = 'resolved' AND w.rating IS NULL)`;
      case 'rating_on_behalf':
        return `(w.rating IS NOT NULL AND w.rating_by IS NOT NULL)`;
      case 'beneficiary_claim':
        // A claim by someone whose own phone (registration at the wish's community, or the account's) is the beneficiary's: same keyed hash.
        // The phone is looked up first (small tables), the claim only for a wish whose phone matches someone.
        return `(w.beneficiary_phone_hash IS NOT NULL AND w.first_claimed_at IS NOT NULL AND (
            EXISTS (SELECT 1 FROM member_registration r WHERE r.community_id = w.community_id AND r.phone_hash = w.beneficiary_phone_hash
                     AND EXISTS (SELECT 1 FROM wish_event x WHERE x.wish_id = w.id AND x.type = 'claim' AND x.actor_id = r.user_id))
         OR EXISTS (SELECT 1 FROM app_user u WHERE u.phone_hash = w.beneficiary_phone_hash
                     AND EXISTS (SELECT 1 FROM wish_event x WHERE x.wish_id = w.id AND x.type = 'claim' AND x.actor_id = u.id))))`;
      case 'claim_cycles':
        return `(${this.cyclesOf()} >= ${CLAIM_CYCLES_FLAGGED})`;
      case 'quick_completion':
        // A completion less than the span after the claim it completes (the latest claim before it).
        return `(w.completed_at IS NOT NULL AND EXISTS (SELECT 1 FROM wish_event d WHERE d.wish_id = w.id AND d.type = 'complete'
            AND d.created_at < ${this.plusQuick(`(SELECT MAX(cl.created_at) FROM wish_event cl WHERE cl.wish_id = w.id AND cl.type = 'claim' AND cl.id < d.id)`)}))`;
      case 'self_approval':
        // Published by its own submitter: approved, or marked urgent (which publishes a wish under review); both are refused today.
        // Only community staff approve, so only wishes their submitter held a staff grant for (ever: revoked grants are kept) are looked at.
        return `(EXISTS (SELECT 1 FROM role_grant g WHERE g.user_id = w.submitter_id AND g.role IN ('community_admin', 'grid_worker'))
            AND EXISTS (SELECT 1 FROM wish_event x WHERE x.wish_id = w.id AND x.type IN ('approve', 'mark_urgent') AND x.actor_id = w.submitter_id))`;
    }
  }

  /** Wishes of these communities published in the period. */
  cohort(communityIds: readonly number[], period: Period): Sql {
    if (communityIds.length === 0) return { sql: '1 = 0', params: [] };
    const parts = [in_('w.community_id', communityIds), 'w.published_at IS NOT NULL'];
    const params: unknown[] = [...communityIds];
    if (period.from) parts.push('w.published_at >= ?'), params.push(this.db.time(period.from));
    if (period.to) parts.push('w.published_at < ?'), params.push(this.db.time(period.to));
    // The (community, published_at) range of idx_wish_integrity, which holds every row fact the flags read.
    return { sql: parts.join(' AND '), params, index: this.db.isSqlite ? undefined : 'idx_wish_integrity' };
  }

  /** Every flag's count and denominator over the cohort, in one pass along (community, published_at). */
  async counts(cohort: Sql): Promise<IntegrityCounts> {
    const hint = cohort.index ? ` FORCE INDEX (${cohort.index})` : '';
    const flag = (f: IntegrityFlagCode) => `CASE WHEN ${this.flagSql(f)} THEN 1 ELSE 0 END`;
    const methods = CONSENT_METHODS.map((m, i) => `SUM(CASE WHEN x.on_behalf = 1 AND x.rating_consent = '${m}' THEN 1 ELSE 0 END) AS by_${i}`);
    const rows: Record<string, unknown>[] = await this.db.dataSource.query(
      `SELECT COUNT(*) AS published,
              SUM(CASE WHEN x.state = 'resolved' THEN 1 ELSE 0 END) AS resolved,
              SUM(x.silent) AS silent,
              SUM(CASE WHEN x.rating IS NOT NULL THEN 1 ELSE 0 END) AS rated,
              SUM(x.on_behalf) AS on_behalf,
              ${methods.join(',\n              ')},
              SUM(CASE WHEN x.claimed = 1 THEN 1 ELSE 0 END) AS claimed,
              SUM(x.beneficiary) AS beneficiary,
              SUM(CASE WHEN x.cycles >= ${CLAIM_CYCLES_FLAGGED} THEN 1 ELSE 0 END) AS cycle_wishes,
              SUM(CASE WHEN x.cycles >= ${CLAIM_CYCLES_FLAGGED} THEN x.cycles ELSE 0 END) AS cycles,
              SUM(x.completed) AS completed,
              SUM(x.quick) AS quick,
              SUM(x.self_approval) AS self_approval
         FROM (SELECT w.state, w.rating, w.rating_consent,
                      ${flag('silent_confirmation')} AS silent,
                      ${flag('rating_on_behalf')} AS on_behalf,
                      CASE WHEN w.first_claimed_at IS NULL THEN 0 ELSE 1 END AS claimed,
                      ${flag('beneficiary_claim')} AS beneficiary,
                      ${this.cyclesOf()} AS cycles,
                      CASE WHEN w.completed_at IS NULL THEN 0 ELSE 1 END AS completed,
                      ${flag('quick_completion')} AS quick,
                      ${flag('self_approval')} AS self_approval
                 FROM wish w${hint}
                WHERE ${cohort.sql}) x`,
      cohort.params,
    );
    const r = rows[0] ?? {};
    const n = (k: string) => Number(r[k] ?? 0);
    const onBehalf = n('on_behalf');
    const known = CONSENT_METHODS.map((method, i) => ({ method: method as ConsentMethod | null, count: n(`by_${i}`) }));
    const other = onBehalf - known.reduce((a, b) => a + b.count, 0);
    return {
      published: n('published'),
      resolved: n('resolved'),
      silent: n('silent'),
      rated: n('rated'),
      onBehalf,
      onBehalfBy: [...known, ...(other > 0 ? [{ method: null, count: other }] : [])],
      claimed: n('claimed'),
      beneficiaryClaim: n('beneficiary'),
      cycleWishes: n('cycle_wishes'),
      cycles: n('cycles'),
      completed: n('completed'),
      quick: n('quick'),
      selfApproval: n('self_approval'),
    };
  }

  /** The ids of one page of flagged wishes, newest first, read from the index alone (the page's rows are read after). */
  async flaggedIds(cohort: Sql, flag: IntegrityFlagCode, beforeId: number | undefined, limit: number): Promise<number[]> {
    const hint = cohort.index ? ` FORCE INDEX (${cohort.index})` : '';
    const rows: { id: number }[] = await this.db.dataSource.query(
      `SELECT w.id FROM wish w${hint} WHERE ${cohort.sql} AND ${this.flagSql(flag)}${beforeId !== undefined ? ' AND w.id < ?' : ''} ORDER BY w.id DESC LIMIT ${Math.floor(limit)}`,
      [...cohort.params, ...(beforeId !== undefined ? [beforeId] : [])],
    );
    return rows.map((r) => Number(r.id));
  }

  /**
   * What was measured on each listed wish: claim–release cycles, and the minutes from a claim to
   * the fastest completion of it. Read for one page of wishes.
   */
  async measures(wishIds: readonly number[]): Promise<Map<number, { cycles: number; quickestMs: number | null }>> {
    const out = new Map<number, { cycles: number; quickestMs: number | null }>();
    if (wishIds.length === 0) return out;
    const rows: { wish_id: number; type: string; created_at: string | Date }[] = await this.db.dataSource.query(
      `SELECT e.wish_id, e.type, e.created_at FROM wish_event e
        WHERE ${in_('e.wish_id', wishIds)} AND e.type IN ('claim', 'complete', ${list(CYCLE_ENDS)})
        ORDER BY e.wish_id, e.id`,
      [...wishIds],
    );
    let lastClaim: number | null = null;
    let current = -1;
    for (const r of rows) {
      const id = Number(r.wish_id);
      if (id !== current) (current = id), (lastClaim = null), out.set(id, { cycles: 0, quickestMs: null });
      const m = out.get(id)!;
      const t = this.db.readTime(r.created_at)!.getTime();
      if (r.type === 'claim') lastClaim = t;
      else if (r.type === 'complete') {
        if (lastClaim !== null && (m.quickestMs === null || t - lastClaim < m.quickestMs)) m.quickestMs = t - lastClaim;
      } else m.cycles++;
    }
    return out;
  }
}
