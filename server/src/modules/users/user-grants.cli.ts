// `node dist/cli.js user list [--recent=N]` | `user grant --user=ID --role=ROLE --org=ID` |
// `user revoke --user=ID --role=ROLE --org=ID`
// The operator's way to give an account a role at an organisation from the server's shell: the
// committee accounts of a new community, and the test accounts WeChat's reviewer uses (the
// reviewer logs in with WeChat first; `user list --recent` shows the newest accounts). Checked as
// the access policy checks grants (GRANT_AT: a role is held at one kind of organisation, on an
// active organisation, for a living account). Exit status: 0 done, 1 refused, 2 usage.
import { GRANT_AT, ROLES, ROLE_LABELS, type Role } from '@xinyuan/shared';
import type { Database } from '../../database/database';
import { exec } from '../../database/exec';
import { grantRefusal } from '../../access/grants';

const USAGE =
  'usage: cli.js user list [--recent=20]\n' +
  '       cli.js user grant --user=ID --role=ROLE --org=ID\n' +
  '       cli.js user revoke --user=ID --role=ROLE --org=ID\n' +
  `  roles: ${ROLES.filter((r) => r !== 'resident').join(', ')}\n`;

function argOf(args: string[], name: string): string | undefined {
  const a = args.find((x) => x.startsWith(`--${name}=`));
  return a === undefined ? undefined : a.slice(name.length + 3);
}

const positive = (v: string | undefined) => (v !== undefined && /^\d{1,9}$/.test(v) && Number(v) > 0 ? Number(v) : null);

export async function runUserCommand(db: Database, action: string | undefined, args: string[], write: (s: string) => void, now = new Date()): Promise<number> {
  if (action === 'list') {
    const recentText = argOf(args, 'recent');
    const recent = recentText === undefined ? 20 : positive(recentText);
    if (recent === null || recent > 1000) {
      write(USAGE);
      return 2;
    }
    return list(db, recent, write);
  }
  if (action !== 'grant' && action !== 'revoke') {
    write(USAGE);
    return 2;
  }
  const userId = positive(argOf(args, 'user'));
  const orgId = positive(argOf(args, 'org'));
  const role = argOf(args, 'role') as Role | undefined;
  if (userId === null || orgId === null || !role || !(ROLES as readonly string[]).includes(role) || role === 'resident') {
    write(USAGE);
    return 2;
  }
  const [user] = await db.dataSource.query(`SELECT id, deleted_at FROM app_user WHERE id = ?`, [userId]);
  if (!user) return refuse(write, `user ${userId} does not exist`);
  if (user.deleted_at) return refuse(write, `user ${userId} deleted their account`);
  const [org] = await db.dataSource.query(`SELECT id, kind, name, deactivated_at FROM organisation WHERE id = ?`, [orgId]);
  const why = grantRefusal({ role, orgId, orgKind: org ? String(org.kind) : null, orgDeactivated: !!org?.deactivated_at });
  if (why) return refuse(write, `${why} (a ${role} is held at: ${GRANT_AT[role].join(' or ')})`);
  const at = db.time(now);

  if (action === 'grant') {
    const done = await db.tx(async (m) => {
      const held = await m.query(`SELECT id FROM role_grant WHERE user_id = ? AND role = ? AND org_id = ? AND revoked_at IS NULL`, [userId, role, orgId]);
      if (held.length) return false;
      await m.query(`INSERT INTO role_grant (user_id, role, org_id, granted_by, granted_at, revoked_at) VALUES (?, ?, ?, NULL, ?, NULL)`, [userId, role, orgId, at]);
      return true;
    });
    if (!done) return refuse(write, `user ${userId} already holds ${role} at ${org.name}`);
    write(`user ${userId} now holds ${role} (${ROLE_LABELS[role]}) at ${org.name} (${orgId})\n`);
    return 0;
  }
  // Revoking ends the grant and every token the person holds, so the role stops at once.
  const n = await db.tx(async (m) => {
    const ended = await exec(m, `UPDATE role_grant SET revoked_at = ? WHERE user_id = ? AND role = ? AND org_id = ? AND revoked_at IS NULL`, [at, userId, role, orgId]);
    if (ended) await exec(m, `UPDATE app_user SET token_version = token_version + 1 WHERE id = ?`, [userId]);
    return ended;
  });
  if (!n) return refuse(write, `user ${userId} holds no ${role} at ${org.name}`);
  write(`user ${userId} no longer holds ${role} at ${org.name} (${orgId}); their tokens are revoked\n`);
  return 0;
}

function refuse(write: (s: string) => void, why: string): number {
  write(`refused: ${why}\n`);
  return 1;
}

/** The newest accounts, with the roles they hold now: nickname only (no phone, nothing sealed is opened). */
async function list(db: Database, recent: number, write: (s: string) => void): Promise<number> {
  const users: { id: unknown; nickname: string | null; created_at: unknown; deleted_at: unknown }[] = await db.dataSource.query(
    `SELECT id, nickname, created_at, deleted_at FROM app_user ORDER BY id DESC LIMIT ${Number(recent)}`,
  );
  const ids = users.map((u) => Number(u.id));
  const grants: { user_id: unknown; role: string; org_id: unknown; name: string }[] = ids.length
    ? await db.dataSource.query(
        `SELECT g.user_id, g.role, g.org_id, o.name FROM role_grant g JOIN organisation o ON o.id = g.org_id WHERE g.revoked_at IS NULL AND g.user_id IN (${ids.map(() => '?').join(', ')}) ORDER BY g.id`,
        ids,
      )
    : [];
  for (const u of users) {
    const held = grants.filter((g) => Number(g.user_id) === Number(u.id)).map((g) => `${g.role}@${g.name}(${Number(g.org_id)})`);
    const created = u.created_at instanceof Date ? u.created_at.toISOString() : String(u.created_at);
    write(`${Number(u.id)}\t${created}\t${u.deleted_at ? '(deleted)' : (u.nickname ?? '')}\t${held.join(' ') || 'resident'}\n`);
  }
  return 0;
}
