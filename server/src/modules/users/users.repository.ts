import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Role } from '@xinyuan/shared';
import { Clock } from '../../common/clock';
import { Database } from '../../database/database';
import { grantRefusal } from '../../access/grants';
import { Consent, RoleGrant, User } from './user.entity';

@Injectable()
export class UsersRepository {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  findById(id: number): Promise<User | null> {
    return this.db.manager.findOne(User, { where: { id } });
  }

  /** The user's openid (null when the user is unknown or their account is deleted). */
  async openidOf(userId: number): Promise<string | null> {
    const u = await this.db.manager.findOne(User, { where: { id: userId }, select: { id: true, openid: true, deletedAt: true } });
    return u && !u.deletedAt && u.openid ? u.openid : null;
  }

  findByOpenid(openid: string): Promise<User | null> {
    return this.db.manager.findOne(User, { where: { openid } });
  }

  /** The user for a WeChat identity, created on first login. */
  async upsertByOpenid(openid: string, unionid: string | null = null, nickname: string | null = null): Promise<User> {
    const existing = await this.findByOpenid(openid);
    const now = this.clock.now();
    if (existing) {
      if (unionid && existing.unionid !== unionid) {
        existing.unionid = unionid;
        existing.updatedAt = now;
        await this.db.manager.save(existing);
      }
      return existing;
    }
    try {
      return await this.db.tx((m) => m.save(m.create(User, { openid, unionid, nickname, phone: null, tokenVersion: 0, deletedAt: null, createdAt: now, updatedAt: now })));
    } catch (e) {
      // Two first logins at once: the unique openid index let one through.
      const again = await this.findByOpenid(openid);
      if (again) return again;
      throw e;
    }
  }

  /**
   * Serialises one person's concurrent writes (claims, registrations) for the rest
   * of the transaction on MySQL; SQLite's writers are serialised already.
   */
  async lockForUpdate(m: EntityManager, userId: number): Promise<void> {
    if (!this.db.isSqlite) await m.query(`SELECT id FROM app_user WHERE id = ? FOR UPDATE`, [userId]);
  }

  /**
   * Locks the user's row (MySQL; SQLite's writers are serialised already) and says whether the
   * account still stands: a deletion holds the same lock, so a write that waited on it sees it.
   */
  async lockLive(m: EntityManager, userId: number): Promise<boolean> {
    const rows: { deleted_at: unknown }[] = await m.query(`SELECT deleted_at FROM app_user WHERE id = ?${this.db.isSqlite ? '' : ' FOR UPDATE'}`, [userId]);
    return rows.length === 1 && (rows[0].deleted_at === null || rows[0].deleted_at === undefined);
  }

  /** Revokes every token the user holds (logout, account deletion, deactivation): tokens carry the version they were issued under. */
  async bumpTokenVersion(m: EntityManager, userId: number): Promise<void> {
    await m.query(`UPDATE app_user SET token_version = token_version + 1 WHERE id = ?`, [userId]);
  }

  activeGrants(userId: number): Promise<RoleGrant[]> {
    return this.db.manager.createQueryBuilder(RoleGrant, 'g').where('g.user_id = :userId AND g.revoked_at IS NULL', { userId }).orderBy('g.id').getMany();
  }

  /** Ends a role grant (kept, with when it ended). */
  async revokeGrant(m: EntityManager, userId: number, role: Role, orgId: number, at: Date): Promise<void> {
    await m
      .createQueryBuilder()
      .update(RoleGrant)
      .set({ revokedAt: at })
      .where('user_id = :userId AND role = :role AND org_id = :orgId AND revoked_at IS NULL', { userId, role, orgId })
      .execute();
  }

  async grant(m: EntityManager, userId: number, role: Role, orgId: number, grantedBy: number | null): Promise<void> {
    const existing = await m
      .createQueryBuilder(RoleGrant, 'g')
      .where('g.user_id = :userId AND g.role = :role AND g.org_id = :orgId AND g.revoked_at IS NULL', { userId, role, orgId })
      .getOne();
    if (!existing) await m.save(m.create(RoleGrant, { userId, role, orgId, grantedBy, grantedAt: this.clock.now(), revokedAt: null }));
  }

  /** Honoured grants (access/grants.ts) held at these organisations: the people a claim may be handed to. */
  async grantsAt(...orgIds: (number | null)[]): Promise<{ userId: number; role: Role; orgId: number }[]> {
    const ids = [...new Set(orgIds.filter((o): o is number => o !== null))];
    if (ids.length === 0) return [];
    const rows: { user_id: number; role: string; org_id: number; kind: string | null; off: unknown }[] = await this.db.dataSource.query(
      `SELECT g.user_id, g.role, g.org_id, o.kind, o.deactivated_at AS off
         FROM role_grant g JOIN organisation o ON o.id = g.org_id
        WHERE g.revoked_at IS NULL AND g.org_id IN (${ids.map(() => '?').join(', ')})
        ORDER BY g.user_id, g.id`,
      ids,
    );
    return rows
      .filter((r) => grantRefusal({ role: r.role, orgId: Number(r.org_id), orgKind: r.kind, orgDeactivated: r.off !== null && r.off !== undefined }) === null)
      .map((r) => ({ userId: Number(r.user_id), role: r.role as Role, orgId: Number(r.org_id) }));
  }

  latestConsent(userId: number): Promise<Consent | null> {
    return this.db.manager.createQueryBuilder(Consent, 'c').where('c.user_id = :userId', { userId }).orderBy('c.id', 'DESC').getOne();
  }

  async recordConsent(userId: number, version: string): Promise<Consent> {
    return this.db.tx((m) => m.save(m.create(Consent, { userId, noticeVersion: version, consentedAt: this.clock.now() })));
  }

  /** Display names for event actors and claimants. */
  async names(ids: number[]): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    if (ids.length === 0) return out;
    const users = await this.db.manager.createQueryBuilder(User, 'u').where('u.id IN (:...ids)', { ids: [...new Set(ids)] }).getMany();
    for (const u of users) out.set(u.id, u.nickname ?? `用户${u.id}`);
    return out;
  }
}
