import { Injectable } from '@nestjs/common';
import type { AccessPurpose } from '@xinyuan/shared';
import { Database } from '../../database/database';

/** One full read of personal information, as written. */
export interface AccessRecord {
  at: Date;
  actorId: number | null;
  actorRole: string | null;
  actorOrgId: number | null;
  subjectUserId: number | null;
  wishId: number | null;
  registrationId: number | null;
  districtId: number | null;
  purpose: AccessPurpose;
  fields: string[];
  requestId: string | null;
  filter: Record<string, unknown> | null;
  rowCount: number | null;
}

export interface AccessRow extends AccessRecord {
  id: number;
}

const COLS = ['at', 'actor_id', 'actor_role', 'actor_org_id', 'subject_user_id', 'wish_id', 'registration_id', 'district_id', 'purpose', 'fields', 'request_id', 'filter', 'row_count'];

/** The access log. Append and read only: a row is never changed or deleted. */
@Injectable()
export class AccessLogRepository {
  constructor(private readonly db: Database) {}

  async append(rows: readonly AccessRecord[]): Promise<void> {
    if (rows.length === 0) return;
    const params: unknown[] = [];
    for (const r of rows) {
      params.push(this.db.time(r.at), r.actorId, r.actorRole, r.actorOrgId, r.subjectUserId, r.wishId, r.registrationId, r.districtId, r.purpose, r.fields.join(','), r.requestId, r.filter ? JSON.stringify(r.filter) : null, r.rowCount);
    }
    const one = `(${COLS.map(() => '?').join(', ')})`;
    await this.db.dataSource.query(`INSERT INTO pi_access (${COLS.join(', ')}) VALUES ${rows.map(() => one).join(', ')}`, params);
  }

  /** When these wishes were submitted (their numbers are made from it). */
  async wishDates(ids: number[]): Promise<{ id: number; createdAt: Date }[]> {
    if (ids.length === 0) return [];
    const rows: { id: number; created_at: string | Date }[] = await this.db.dataSource.query(`SELECT id, created_at FROM wish WHERE id IN (${ids.map(() => '?').join(', ')})`, ids);
    return rows.map((r) => ({ id: Number(r.id), createdAt: this.db.readTime(r.created_at)! }));
  }

  /** Newest first, keyset on id, with the conditions given (each an equality or a time range). */
  async search(where: { subjectUserId?: number; actorId?: number; wishId?: number; purpose?: AccessPurpose; districtIds?: number[]; from?: Date; to?: Date }, beforeId: number | undefined, limit: number): Promise<AccessRow[]> {
    const parts: string[] = [];
    const params: unknown[] = [];
    const eq = (col: string, v: unknown) => {
      if (v !== undefined) parts.push(`${col} = ?`), params.push(v);
    };
    eq('subject_user_id', where.subjectUserId);
    eq('actor_id', where.actorId);
    eq('wish_id', where.wishId);
    eq('purpose', where.purpose);
    if (where.districtIds) parts.push(where.districtIds.length ? `district_id IN (${where.districtIds.map(() => '?').join(', ')})` : '1 = 0'), params.push(...where.districtIds);
    if (where.from) parts.push('at >= ?'), params.push(this.db.time(where.from));
    if (where.to) parts.push('at < ?'), params.push(this.db.time(where.to));
    if (beforeId !== undefined) parts.push('id < ?'), params.push(beforeId);
    const rows: Record<string, unknown>[] = await this.db.dataSource.query(
      `SELECT id, ${COLS.join(', ')} FROM pi_access${parts.length ? ` WHERE ${parts.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ${Math.floor(limit)}`,
      params,
    );
    const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    return rows.map((r) => ({
      id: Number(r.id),
      at: this.db.readTime(r.at as string | Date)!,
      actorId: n(r.actor_id),
      actorRole: (r.actor_role as string | null) ?? null,
      actorOrgId: n(r.actor_org_id),
      subjectUserId: n(r.subject_user_id),
      wishId: n(r.wish_id),
      registrationId: n(r.registration_id),
      districtId: n(r.district_id),
      purpose: r.purpose as AccessPurpose,
      fields: String(r.fields ?? '').split(',').filter(Boolean),
      requestId: (r.request_id as string | null) ?? null,
      filter: r.filter ? (JSON.parse(String(r.filter)) as Record<string, unknown>) : null,
      rowCount: n(r.row_count),
    }));
  }
}
