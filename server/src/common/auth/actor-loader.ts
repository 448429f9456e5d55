import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { OrgKind, Role } from '@xinyuan/shared';
import { grantRefusal } from '../../access/grants';
import { Database } from '../../database/database';
import { ROOT_LOGGER } from '../logging/logger';
import type { Actor } from './actor';

/**
 * Loads the acting user with the grants the access policy honours and their latest
 * consent, in one query. Kept apart from the users module so every module's guard can use it.
 */
@Injectable()
export class ActorLoader {
  private readonly warned = new Set<string>();

  constructor(
    private readonly db: Database,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  async load(userId: number): Promise<Actor | null> {
    const rows: {
      openid: string;
      nickname: string | null;
      token_version: number | string;
      deleted_at: unknown;
      role: string | null;
      org_id: number | null;
      org_kind: string | null;
      org_off: unknown;
      notice_version: string | null;
    }[] = await this.db.dataSource.query(
      `SELECT u.openid, u.nickname, u.token_version, u.deleted_at, g.role, g.org_id, o.kind AS org_kind, o.deactivated_at AS org_off,
              (SELECT c.notice_version FROM consent c WHERE c.user_id = u.id ORDER BY c.id DESC LIMIT 1) AS notice_version
         FROM app_user u
         LEFT JOIN role_grant g ON g.user_id = u.id AND g.revoked_at IS NULL
         LEFT JOIN organisation o ON o.id = g.org_id
        WHERE u.id = ?`,
      [userId],
    );
    if (rows.length === 0) return null;
    const grants: Actor['grants'] = [];
    for (const r of rows) {
      if (r.role === null) continue;
      const g = { role: r.role, orgId: Number(r.org_id), orgKind: r.org_kind, orgDeactivated: r.org_off !== null && r.org_off !== undefined };
      const why = grantRefusal(g);
      if (why === null) grants.push({ role: g.role as Role, orgId: g.orgId, orgKind: g.orgKind as OrgKind });
      else this.warnOnce(userId, g.role, g.orgId, why);
    }
    const u = rows[0];
    const deleted = u.deleted_at !== null && u.deleted_at !== undefined;
    return { userId, openid: u.openid, nickname: u.nickname, consentVersion: u.notice_version, grants, tokenVersion: Number(u.token_version), deleted };
  }

  private warnOnce(userId: number, role: string, orgId: number, why: string): void {
    const key = `${userId}:${role}:${orgId}:${why}`;
    if (this.warned.has(key) || this.warned.size > 10_000) return;
    this.warned.add(key);
    this.logger.warn({ userId, role, orgId }, `grant not honoured: ${why}`);
  }
}
