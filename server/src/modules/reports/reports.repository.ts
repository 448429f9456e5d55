import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ReportCategory, ReportKind, ReportState } from '@xinyuan/shared';
import { Database } from '../../database/database';
import { exec } from '../../database/exec';

/** A report as stored, with its wish's title and creation time (for the wish number) and its community's name. */
export interface ReportRow {
  id: number;
  reporterId: number;
  kind: ReportKind;
  category: ReportCategory;
  /** Sealed. */
  text: string | null;
  wishId: number | null;
  photoId: string | null;
  communityId: number;
  communityName: string;
  streetId: number;
  districtId: number;
  state: ReportState;
  reply: string | null;
  handledBy: number | null;
  handledAt: Date | null;
  createdAt: Date;
  wishTitle: string | null;
  wishCreatedAt: Date | null;
}

/** A report as filed: the row's own columns before anyone handles it. */
export type NewReport = Pick<ReportRow, 'reporterId' | 'kind' | 'category' | 'text' | 'wishId' | 'photoId' | 'communityId' | 'streetId' | 'districtId' | 'createdAt'>;

/** Where a desk reaches: communities by id, or every community of some streets or districts. */
export interface DeskScope {
  communityIds: number[];
  streetIds: number[];
  districtIds: number[];
}

export interface PhotoTarget {
  id: string;
  ownerId: number;
  wishId: number | null;
  purpose: 'wish' | 'proof' | null;
}

const COLS = `r.id, r.reporter_id, r.kind, r.category, r.text, r.wish_id, r.photo_id, r.community_id, c.name AS community_name, r.street_id, r.district_id,
  r.state, r.reply, r.handled_by, r.handled_at, r.created_at, w.title AS wish_title, w.created_at AS wish_created_at`;
const FROM = `FROM report r JOIN organisation c ON c.id = r.community_id LEFT JOIN wish w ON w.id = r.wish_id`;
const marks = (ids: unknown[]) => ids.map(() => '?').join(', ');

/** Reports and complaints. Raw SQL: the same statements on SQLite and MariaDB. */
@Injectable()
export class ReportsRepository {
  constructor(private readonly db: Database) {}

  async insert(m: EntityManager, r: NewReport): Promise<number> {
    if (!m.queryRunner) throw new Error('insert() must run inside a transaction');
    const res = await m.queryRunner.query(
      `INSERT INTO report (reporter_id, kind, category, text, wish_id, photo_id, community_id, street_id, district_id, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'received', ?)`,
      [r.reporterId, r.kind, r.category, r.text, r.wishId, r.photoId, r.communityId, r.streetId, r.districtId, this.db.time(r.createdAt)],
      true,
    );
    // mysql2 answers a ResultSetHeader, better-sqlite3 the last row id.
    const raw = res.raw as { insertId?: number } | number | bigint;
    return Number(typeof raw === 'object' ? raw.insertId : raw);
  }

  /** The reporter's reports still waiting for a reply: all of them, and those on this target (read under the reporter's lock). */
  async openOf(m: EntityManager, reporterId: number, target: { kind: ReportKind; wishId: number | null; photoId: string | null }): Promise<{ open: number; sameTarget: number }> {
    const rows: { n_open: number | string; same: number | string | null }[] = await m.query(
      `SELECT COUNT(*) AS n_open, SUM(CASE WHEN kind = ? AND kind <> 'complaint' AND ((kind = 'wish' AND wish_id = ?) OR (kind = 'photo' AND photo_id = ?)) THEN 1 ELSE 0 END) AS same
         FROM report WHERE reporter_id = ? AND state = 'received'`,
      [target.kind, target.wishId ?? 0, target.photoId ?? '', reporterId],
    );
    return { open: Number(rows[0]?.n_open ?? 0), sameTarget: Number(rows[0]?.same ?? 0) };
  }

  async find(id: number, m: EntityManager = this.db.manager): Promise<ReportRow | null> {
    const rows = await m.query(`SELECT ${COLS} ${FROM} WHERE r.id = ?`, [id]);
    return rows.length ? this.toRow(rows[0]) : null;
  }

  /** The reporter's own, newest first (keyset on id). */
  /** Account deletion: the person's own words leave every report they filed (the report, its category and the reply stay). */
  async eraseTextOf(m: EntityManager, reporterId: number): Promise<number> {
    return exec(m, `UPDATE report SET text = NULL WHERE reporter_id = ? AND text IS NOT NULL`, [reporterId]);
  }

  async listOf(reporterId: number, q: { beforeId?: number; limit: number }): Promise<ReportRow[]> {
    const params: unknown[] = [reporterId];
    let sql = `SELECT ${COLS} ${FROM} WHERE r.reporter_id = ?`;
    if (q.beforeId !== undefined) (sql += ' AND r.id < ?'), params.push(q.beforeId);
    const rows = await this.db.manager.query(`${sql} ORDER BY r.id DESC LIMIT ${Number(q.limit)}`, params);
    return rows.map((r: Raw) => this.toRow(r));
  }

  /** A desk's reports, newest first (keyset on id), with filters. */
  async listDesk(scope: DeskScope, q: { state?: ReportState; kind?: ReportKind; communityId?: number; beforeId?: number; limit: number }): Promise<ReportRow[]> {
    const where = scopeWhere(scope);
    const params: unknown[] = [...where.params];
    let sql = `SELECT ${COLS} ${FROM} WHERE ${where.sql}`;
    if (q.state !== undefined) (sql += ' AND r.state = ?'), params.push(q.state);
    if (q.kind !== undefined) (sql += ' AND r.kind = ?'), params.push(q.kind);
    if (q.communityId !== undefined) (sql += ' AND r.community_id = ?'), params.push(q.communityId);
    if (q.beforeId !== undefined) (sql += ' AND r.id < ?'), params.push(q.beforeId);
    const rows = await this.db.manager.query(`${sql} ORDER BY r.id DESC LIMIT ${Number(q.limit)}`, params);
    return rows.map((r: Raw) => this.toRow(r));
  }

  /** Received → handled with the reply, guarded on the state read; false when someone handled it first. */
  async handle(m: EntityManager, id: number, by: number, reply: string, at: Date): Promise<boolean> {
    if (!m.queryRunner) throw new Error('handle() must run inside a transaction');
    const r = await m.queryRunner.query(`UPDATE report SET state = 'handled', reply = ?, handled_by = ?, handled_at = ? WHERE id = ? AND state = 'received'`, [reply, by, this.db.time(at), id], true);
    return Number(r.affected ?? 0) === 1;
  }

  async photo(id: string): Promise<PhotoTarget | null> {
    const rows: { id: string; owner_id: number; wish_id: number | null; purpose: 'wish' | 'proof' | null }[] = await this.db.manager.query(`SELECT id, owner_id, wish_id, purpose FROM photo WHERE id = ?`, [id]);
    // Matched in code too: MariaDB's collation compares ids without case.
    const p = rows.find((x) => x.id === id);
    return p ? { id: p.id, ownerId: Number(p.owner_id), wishId: p.wish_id === null ? null : Number(p.wish_id), purpose: p.purpose } : null;
  }

  /** The community a person belongs to, for a complaint that names none: the latest wish they submitted. */
  async latestCommunityOf(userId: number): Promise<number | null> {
    const rows: { community_id: number }[] = await this.db.manager.query(`SELECT community_id FROM wish WHERE submitter_id = ? ORDER BY id DESC LIMIT 1`, [userId]);
    return rows.length ? Number(rows[0].community_id) : null;
  }

  private toRow(r: Raw): ReportRow {
    return {
      id: Number(r.id),
      reporterId: Number(r.reporter_id),
      kind: r.kind,
      category: r.category,
      text: r.text,
      wishId: r.wish_id === null ? null : Number(r.wish_id),
      photoId: r.photo_id,
      communityId: Number(r.community_id),
      communityName: r.community_name,
      streetId: Number(r.street_id),
      districtId: Number(r.district_id),
      state: r.state,
      reply: r.reply,
      handledBy: r.handled_by === null ? null : Number(r.handled_by),
      handledAt: this.db.readTime(r.handled_at),
      createdAt: this.db.readTime(r.created_at)!,
      wishTitle: r.wish_title ?? null,
      wishCreatedAt: this.db.readTime(r.wish_created_at ?? null),
    };
  }
}

interface Raw {
  id: number;
  reporter_id: number;
  kind: ReportKind;
  category: ReportCategory;
  text: string | null;
  wish_id: number | null;
  photo_id: string | null;
  community_id: number;
  community_name: string;
  street_id: number;
  district_id: number;
  state: ReportState;
  reply: string | null;
  handled_by: number | null;
  handled_at: string | Date | null;
  created_at: string | Date;
  wish_title: string | null;
  wish_created_at: string | Date | null;
}

/** A desk's condition on the report row (never empty: an empty scope matches nothing). */
function scopeWhere(s: DeskScope): { sql: string; params: number[] } {
  const parts: string[] = [];
  const params: number[] = [];
  if (s.communityIds.length) parts.push(`r.community_id IN (${marks(s.communityIds)})`), params.push(...s.communityIds);
  if (s.streetIds.length) parts.push(`r.street_id IN (${marks(s.streetIds)})`), params.push(...s.streetIds);
  if (s.districtIds.length) parts.push(`r.district_id IN (${marks(s.districtIds)})`), params.push(...s.districtIds);
  return { sql: parts.length ? `(${parts.join(' OR ')})` : '1 = 0', params };
}

/** Does a desk reach this report? */
export function deskHolds(s: DeskScope, r: { communityId: number; streetId: number; districtId: number }): boolean {
  return s.communityIds.includes(r.communityId) || s.streetIds.includes(r.streetId) || s.districtIds.includes(r.districtId);
}
