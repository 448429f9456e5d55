import { Injectable } from '@nestjs/common';
import type { CommunityClass } from '@xinyuan/shared';
import { Database } from '../../database/database';
import { Organisation, UnitPairing } from './organisation.entity';

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
