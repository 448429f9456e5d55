import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CommunityClass, FundSpendStatus } from '@xinyuan/shared';
import { Database } from '../../database/database';

export interface FundCommunity {
  id: number;
  name: string;
  communityClass: CommunityClass;
  streetId: number;
  districtId: number;
}

/** The communities an actor may see: those in some districts, streets or by id. */
export interface CommunityScope {
  districtIds: number[];
  streetIds: number[];
  communityIds: number[];
}

export interface FundRow {
  communityId: number;
  year: number;
  /** Null: no budget set for the year (the class default applies). */
  budgetFen: number | null;
  updatedBy: number | null;
  updatedAt: Date | null;
}

export interface FundTotals {
  /** recorded + approved */
  spentFen: number;
  /** waiting for the committee or the street */
  pendingFen: number;
}

export interface SpendRow {
  id: number;
  wishId: number;
  wishTitle: string;
  communityId: number;
  /** The community's street and district (for scope checks without another query). */
  streetId: number;
  districtId: number;
  /** Who submitted the spend's wish (nobody approves a spend on a wish they submitted). */
  wishSubmitterId: number;
  year: number;
  amountFen: number;
  status: FundSpendStatus;
  createdBy: number;
  createdAt: Date;
  reviewedBy: number | null;
  reviewedAt: Date | null;
  decidedBy: number | null;
  decidedAt: Date | null;
  reason: string | null;
}

const SPEND_COLS = `f.id, f.wish_id, w.title AS wish_title, w.submitter_id AS wish_submitter_id, f.community_id, w.street_id, w.district_id, f.year, f.amount_fen, f.status,
  f.created_by, f.created_at, f.reviewed_by, f.reviewed_at, f.decided_by, f.decided_at, f.decision_reason`;
const LIST_LIMIT = 500;

/** Budgets, budget changes and spends of the service fund. Raw SQL: the same statements on SQLite and MariaDB. */
@Injectable()
export class FundsRepository {
  constructor(private readonly db: Database) {}

  // ---- communities ----

  async community(id: number): Promise<FundCommunity | null> {
    const rows = await this.db.manager.query(`${COMMUNITY_SQL} AND c.id = ?`, [id]);
    return rows.length ? toCommunity(rows[0]) : null;
  }

  async communities(scope: CommunityScope): Promise<FundCommunity[]> {
    const { sql, params } = scopeWhere(scope);
    const rows = await this.db.manager.query(`${COMMUNITY_SQL} AND ${sql} ORDER BY c.id`, params);
    return rows.map(toCommunity);
  }

  /** The community's class, read in the caller's transaction. */
  async classOf(m: EntityManager, communityId: number): Promise<CommunityClass> {
    const rows: { community_class: CommunityClass | null }[] = await m.query(`SELECT community_class FROM organisation WHERE id = ?`, [communityId]);
    return rows[0]?.community_class ?? 'B';
  }

  // ---- budgets ----

  async funds(communityIds: number[], year: number): Promise<Map<number, FundRow>> {
    if (communityIds.length === 0) return new Map();
    const rows = await this.db.manager.query(
      `SELECT community_id, year, budget_fen, updated_by, updated_at FROM community_fund WHERE year = ? AND community_id IN (${marks(communityIds)})`,
      [year, ...communityIds],
    );
    return new Map(rows.map((r: RawFund) => [Number(r.community_id), this.toFund(r)]));
  }

  /**
   * The community's fund row for the year, locked for the rest of the transaction
   * (created first if missing), so spends and budget edits of one fund are decided
   * one at a time. READ COMMITTED has no gap locks, so a missing row is inserted with
   * an upsert, which takes the row's exclusive lock whether it inserts or finds one.
   * SQLite's writers are already serialised.
   */
  async lockFund(m: EntityManager, communityId: number, year: number, now: Date): Promise<FundRow> {
    const select = `SELECT community_id, year, budget_fen, updated_by, updated_at FROM community_fund WHERE community_id = ? AND year = ?${this.db.forUpdate()}`;
    let rows: RawFund[] = await m.query(select, [communityId, year]);
    if (rows.length === 0) {
      const insert = `INSERT INTO community_fund (community_id, year, budget_fen, updated_by, updated_at) VALUES (?, ?, NULL, NULL, ?)`;
      await m.query(this.db.isSqlite ? `${insert} ON CONFLICT (community_id, year) DO NOTHING` : `${insert} ON DUPLICATE KEY UPDATE community_id = community_id`, [communityId, year, this.db.time(now)]);
      rows = await m.query(select, [communityId, year]);
    }
    return this.toFund(rows[0]);
  }

  /** Sets the year's budget on a locked fund row and keeps the change. */
  async setBudget(m: EntityManager, communityId: number, year: number, fromFen: number, toFen: number, by: number, at: Date): Promise<void> {
    const t = this.db.time(at);
    await m.query(`UPDATE community_fund SET budget_fen = ?, updated_by = ?, updated_at = ? WHERE community_id = ? AND year = ?`, [toFen, by, t, communityId, year]);
    await m.query(`INSERT INTO fund_budget_change (community_id, year, from_fen, to_fen, changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?)`, [communityId, year, fromFen, toFen, by, t]);
  }

  // ---- spends ----

  /** Spent (recorded + approved) and pending sums per community for a year. */
  async totals(communityIds: number[], year: number, m: EntityManager = this.db.manager): Promise<Map<number, FundTotals>> {
    const out = new Map<number, FundTotals>(communityIds.map((id) => [id, { spentFen: 0, pendingFen: 0 }]));
    if (communityIds.length === 0) return out;
    const rows: { community_id: number; status: FundSpendStatus; total: number | string }[] = await m.query(
      `SELECT community_id, status, SUM(amount_fen) AS total FROM fund_spend
        WHERE year = ? AND community_id IN (${marks(communityIds)}) AND status IN ('recorded', 'approved', 'pending_community', 'pending_street')
        GROUP BY community_id, status`,
      [year, ...communityIds],
    );
    for (const r of rows) {
      const t = out.get(Number(r.community_id))!;
      if (r.status === 'pending_community' || r.status === 'pending_street') t.pendingFen += Number(r.total);
      else t.spentFen += Number(r.total);
    }
    return out;
  }

  async insertSpend(m: EntityManager, s: { wishId: number; communityId: number; year: number; amountFen: number; status: FundSpendStatus; createdBy: number; createdAt: Date }): Promise<number> {
    if (!m.queryRunner) throw new Error('insertSpend() must run inside a transaction');
    const r = await m.queryRunner.query(
      `INSERT INTO fund_spend (wish_id, community_id, year, amount_fen, status, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [s.wishId, s.communityId, s.year, s.amountFen, s.status, s.createdBy, this.db.time(s.createdAt)],
      true,
    );
    // mysql2 answers a ResultSetHeader, better-sqlite3 the last row id.
    const raw = r.raw as { insertId?: number } | number | bigint;
    return Number(typeof raw === 'object' ? raw.insertId : raw);
  }

  async findSpend(id: number): Promise<SpendRow | null> {
    const rows = await this.db.manager.query(`SELECT ${SPEND_COLS} FROM fund_spend f JOIN wish w ON w.id = f.wish_id WHERE f.id = ?`, [id]);
    return rows.length ? this.toSpend(rows[0]) : null;
  }

  /**
   * Moves a spend on from the status it was read in; false when someone moved it first. A committee's
   * approval that sends it on to the street is kept as the review; any other move is the decision.
   */
  async moveSpend(m: EntityManager, id: number, from: FundSpendStatus, to: FundSpendStatus, by: number, at: Date, reason: string | null): Promise<boolean> {
    if (!m.queryRunner) throw new Error('moveSpend() must run inside a transaction');
    const t = this.db.time(at);
    const review = from === 'pending_community' && to !== 'refused';
    const set = to === 'pending_street' ? 'reviewed_by = ?, reviewed_at = ?' : review ? 'reviewed_by = ?, reviewed_at = ?, decided_by = ?, decided_at = ?' : 'decided_by = ?, decided_at = ?, decision_reason = ?';
    const params = to === 'pending_street' ? [by, t] : review ? [by, t, by, t] : [by, t, reason];
    const r = await m.queryRunner.query(`UPDATE fund_spend SET status = ?, ${set} WHERE id = ? AND status = ?`, [to, ...params, id, from], true);
    return Number(r.affected ?? 0) === 1;
  }

  /** Spends of communities in scope, newest first (at most 500). */
  async spends(scope: CommunityScope, filter: { communityId?: number; year?: number; status?: FundSpendStatus }): Promise<SpendRow[]> {
    const where = scopeWhere(scope);
    const params: unknown[] = [...where.params];
    // c: the spend's community, s: its street (as scopeWhere expects).
    let sql = `SELECT ${SPEND_COLS} FROM fund_spend f JOIN wish w ON w.id = f.wish_id
                 JOIN organisation c ON c.id = f.community_id JOIN organisation s ON s.id = c.parent_id
                WHERE ${where.sql}`;
    if (filter.communityId !== undefined) (sql += ' AND f.community_id = ?'), params.push(filter.communityId);
    if (filter.year !== undefined) (sql += ' AND f.year = ?'), params.push(filter.year);
    if (filter.status !== undefined) (sql += ' AND f.status = ?'), params.push(filter.status);
    const rows = await this.db.manager.query(`${sql} ORDER BY f.id DESC LIMIT ${LIST_LIMIT}`, params);
    return rows.map((r: RawSpend) => this.toSpend(r));
  }

  private toFund(r: RawFund): FundRow {
    return {
      communityId: Number(r.community_id),
      year: Number(r.year),
      budgetFen: r.budget_fen === null ? null : Number(r.budget_fen),
      updatedBy: r.updated_by === null ? null : Number(r.updated_by),
      // A row made only to be locked carries no edit.
      updatedAt: r.updated_by === null ? null : this.db.readTime(r.updated_at),
    };
  }

  private toSpend(r: RawSpend): SpendRow {
    return {
      id: Number(r.id),
      wishId: Number(r.wish_id),
      wishTitle: r.wish_title,
      communityId: Number(r.community_id),
      year: Number(r.year),
      amountFen: Number(r.amount_fen),
      status: r.status,
      streetId: Number(r.street_id),
      districtId: Number(r.district_id),
      wishSubmitterId: Number(r.wish_submitter_id),
      createdBy: Number(r.created_by),
      createdAt: this.db.readTime(r.created_at)!,
      reviewedBy: r.reviewed_by === null ? null : Number(r.reviewed_by),
      reviewedAt: this.db.readTime(r.reviewed_at),
      decidedBy: r.decided_by === null ? null : Number(r.decided_by),
      decidedAt: this.db.readTime(r.decided_at),
      reason: r.decision_reason,
    };
  }
}

interface RawFund {
  community_id: number;
  year: number;
  budget_fen: number | null;
  updated_by: number | null;
  updated_at: string | Date;
}
interface RawSpend {
  id: number;
  wish_id: number;
  wish_title: string;
  wish_submitter_id: number;
  community_id: number;
  street_id: number;
  district_id: number;
  reviewed_by: number | null;
  reviewed_at: string | Date | null;
  year: number;
  amount_fen: number;
  status: FundSpendStatus;
  created_by: number;
  created_at: string | Date;
  decided_by: number | null;
  decided_at: string | Date | null;
  decision_reason: string | null;
}

const COMMUNITY_SQL = `SELECT c.id, c.name, c.community_class, s.id AS street_id, s.parent_id AS district_id
  FROM organisation c JOIN organisation s ON s.id = c.parent_id
 WHERE c.kind = 'community'`;

const marks = (ids: unknown[]) => ids.map(() => '?').join(', ');

/** A condition on community c and its street s for a scope (never empty: an empty scope matches nothing). */
function scopeWhere(scope: CommunityScope): { sql: string; params: number[] } {
  const parts: string[] = [];
  const params: number[] = [];
  if (scope.communityIds.length) parts.push(`c.id IN (${marks(scope.communityIds)})`), params.push(...scope.communityIds);
  if (scope.streetIds.length) parts.push(`s.id IN (${marks(scope.streetIds)})`), params.push(...scope.streetIds);
  if (scope.districtIds.length) parts.push(`s.parent_id IN (${marks(scope.districtIds)})`), params.push(...scope.districtIds);
  return { sql: parts.length ? `(${parts.join(' OR ')})` : '1 = 0', params };
}

function toCommunity(r: { id: number; name: string; community_class: CommunityClass | null; street_id: number; district_id: number }): FundCommunity {
  return { id: Number(r.id), name: r.name, communityClass: r.community_class ?? 'B', streetId: Number(r.street_id), districtId: Number(r.district_id) };
}
