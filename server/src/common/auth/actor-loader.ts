import { Injectable } from '@nestjs/common';
import type { Role } from '@xinyuan/shared';
import { Database } from '../../database/database';
import type { Actor } from './actor';

/**
 * Loads the acting user with their active grants and latest consent in one query.
 * Kept apart from the users module so every module's guard can use it.
 */
@Injectable()
export class ActorLoader {
  constructor(private readonly db: Database) {}

  async load(userId: number): Promise<Actor | null> {
    const rows: { openid: string; nickname: string | null; role: Role | null; org_id: number | null; notice_version: string | null }[] = await this.db.dataSource.query(
      `SELECT u.openid, u.nickname, g.role, g.org_id,
              (SELECT c.notice_version FROM consent c WHERE c.user_id = u.id ORDER BY c.id DESC LIMIT 1) AS notice_version
         FROM app_user u
         LEFT JOIN role_grant g ON g.user_id = u.id AND g.revoked_at IS NULL
        WHERE u.id = ?`,
      [userId],
    );
    if (rows.length === 0) return null;
    return {
      userId,
      openid: rows[0].openid,
      nickname: rows[0].nickname,
      consentVersion: rows[0].notice_version,
      grants: rows.filter((r) => r.role !== null).map((r) => ({ role: r.role as Role, orgId: Number(r.org_id) })),
    };
  }
}
