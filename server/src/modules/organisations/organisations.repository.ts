import { Injectable } from '@nestjs/common';
import type { CommunityClass, OrgKind } from '@xinyuan/shared';
import { Database } from '../../database/database';
import { Organisation, UnitPairing } from './organisation.entity';

/** An organisation and its ancestors, each by kind (a community: itself, its street, district and city). */
export interface OrgPath {
  id: number;
  kind: OrgKind;
  byKind: Partial<Record<OrgKind, number>>;
}

/** A community with the ancestors a wish records (street, district) and its compounds. */
export interface CommunityPlace {
  community: Organisation;
  streetId: number;
  districtId: number;
}

@Injectable()
export class OrganisationsRepository {
  constructor(private readonly db: Database) {}

  findById(id: number): Promise<Organisation | null> {
    return this.db.manager.findOne(Organisation, { where: { id } });
  }

  /** A community's office phone (null clears it). */
  async setOfficePhone(communityId: number, phone: string | null): Promise<void> {
    await this.db.manager.createQueryBuilder().update(Organisation).set({ officePhone: phone }).where('id = :id', { id: communityId }).execute();
  }

  findByIds(ids: number[]): Promise<Organisation[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db.manager.createQueryBuilder(Organisation, 'o').where('o.id IN (:...ids)', { ids }).getMany();
  }

  /** The community and its street and district, or null when id is not a community. */
  async communityPlace(id: number): Promise<CommunityPlace | null> {
    const rows: { id: number; street_id: number; district_id: number }[] = await this.db.dataSource.query(
      `SELECT c.id, s.id AS street_id, d.id AS district_id
         FROM organisation c
         JOIN organisation s ON s.id = c.parent_id AND s.kind = 'street'
         JOIN organisation d ON d.id = s.parent_id AND d.kind = 'district'
        WHERE c.id = ? AND c.kind = 'community'`,
      [id],
    );
    if (rows.length === 0) return null;
    const community = await this.findById(id);
    return { community: community!, streetId: Number(rows[0].street_id), districtId: Number(rows[0].district_id) };
  }

  /** Community classes (A–D) by community id, in one query. */
  async classesOf(ids: number[]): Promise<Map<number, CommunityClass>> {
    const out = new Map<number, CommunityClass>();
    if (ids.length === 0) return out;
    const rows: { id: number; community_class: CommunityClass }[] = await this.db.dataSource.query(
      `SELECT id, community_class FROM organisation WHERE id IN (${ids.map(() => '?').join(', ')})`,
      ids,
    );
    for (const r of rows) out.set(Number(r.id), r.community_class ?? 'B');
    return out;
  }

  list(kind?: Organisation['kind'], parentId?: number): Promise<Organisation[]> {
    const qb = this.db.manager.createQueryBuilder(Organisation, 'o').orderBy('o.id', 'ASC');
    if (kind) qb.andWhere('o.kind = :kind', { kind });
    if (parentId !== undefined) qb.andWhere('o.parent_id = :parentId', { parentId });
    return qb.getMany();
  }

  /** The organisation and its ancestors (at most five levels: compound → community → street → district → city). */
  async pathOf(id: number): Promise<OrgPath | null> {
    const rows: Record<string, unknown>[] = await this.db.dataSource.query(
      `SELECT o.kind AS k0, p1.id AS i1, p1.kind AS k1, p2.id AS i2, p2.kind AS k2, p3.id AS i3, p3.kind AS k3, p4.id AS i4, p4.kind AS k4
         FROM organisation o
         LEFT JOIN organisation p1 ON p1.id = o.parent_id
         LEFT JOIN organisation p2 ON p2.id = p1.parent_id
         LEFT JOIN organisation p3 ON p3.id = p2.parent_id
         LEFT JOIN organisation p4 ON p4.id = p3.parent_id
        WHERE o.id = ?`,
      [id],
    );
    if (rows.length === 0) return null;
    const r = rows[0];
    const byKind: OrgPath['byKind'] = { [r.k0 as OrgKind]: id };
    for (let i = 1; i <= 4; i++) if (r[`i${i}`] !== null && r[`i${i}`] !== undefined) byKind[r[`k${i}`] as OrgKind] ??= Number(r[`i${i}`]);
    return { id, kind: r.k0 as OrgKind, byKind };
  }

  /** Organisations of a kind directly under these ones (a city's districts), with their parent. */
  async childrenOf(parentIds: readonly number[], kind: OrgKind): Promise<{ id: number; parentId: number }[]> {
    if (parentIds.length === 0) return [];
    const rows: { id: number; parent_id: number }[] = await this.db.dataSource.query(
      `SELECT id, parent_id FROM organisation WHERE kind = ? AND parent_id IN (${parentIds.map(() => '?').join(', ')}) ORDER BY id`,
      [kind, ...parentIds],
    );
    return rows.map((r) => ({ id: Number(r.id), parentId: Number(r.parent_id) }));
  }

  /** The pairings of these units in force on a day (YYYY-MM-DD, agreement dates inclusive), by unit then community. */
  async pairingsOn(unitIds: readonly number[], day: string): Promise<{ unitId: number; communityId: number }[]> {
    if (unitIds.length === 0) return [];
    const rows: { unit_id: number; community_id: number }[] = await this.db.dataSource.query(
      `SELECT unit_id, community_id FROM unit_pairing
        WHERE unit_id IN (${unitIds.map(() => '?').join(', ')}) AND starts_on <= ? AND (ends_on IS NULL OR ends_on >= ?)
        ORDER BY unit_id, community_id`,
      [...unitIds, day, day],
    );
    return rows.map((r) => ({ unitId: Number(r.unit_id), communityId: Number(r.community_id) }));
  }

  /** Units paired with the community on a day (YYYY-MM-DD), agreement dates inclusive. */
  async unitsPairedOn(communityId: number, day: string): Promise<number[]> {
    const rows = await this.db.manager
      .createQueryBuilder(UnitPairing, 'p')
      .where('p.community_id = :communityId', { communityId })
      .andWhere('p.starts_on <= :day', { day })
      .andWhere('(p.ends_on IS NULL OR p.ends_on >= :day)', { day })
      .getMany();
    return rows.map((r) => r.unitId);
  }
}
