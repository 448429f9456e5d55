import { MigrationInterface, QueryRunner, TableColumn, TableIndex, type TableColumnOptions } from 'typeorm';

const int = (name: string): TableColumnOptions => ({ name, type: 'int', isNullable: true });
const str = (name: string, length: number): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable: true });
const time = (name: string): TableColumnOptions => ({ name, type: 'datetime', precision: 3, isNullable: true });
const sqlite = (q: QueryRunner) => q.connection.options.type === 'better-sqlite3';

/**
 * What the one access policy (server/src/access/) needs on the rows:
 * - organisation.deactivated_at: grants on a deactivated organisation count for nothing;
 * - wish.claimant_org_id: the organisation a claim was made for (the community for members
 *   and the committee, the compound for a branch, the unit, the street desk), so "wishes the
 *   unit handled" is one indexed condition; set with the claimant, cleared with it;
 * - wish.rating_by, wish.rating_consent: a rating recorded on the resident's behalf, by whom
 *   and how the resident consented (null for the resident's own);
 * - wish_event.actor_org_id: the organisation the actor acted for, so the timeline can name a
 *   role and an organisation to readers who do not see names;
 * - fund_spend.reviewed_by/_at: the community committee's approval of a reported cost; the
 *   street's approval (above the budget) stays in decided_by/_at. 'pending_approval' (waiting for
 *   the street) becomes 'pending_street'; new reports wait as 'pending_community'. Spends
 *   'recorded' under the earlier rule keep that status and count as spent.
 * - indexes for "my claims" (assignee) and an organisation's claims.
 */
export class AccessPolicy1764720000000 implements MigrationInterface {
  name = 'AccessPolicy1764720000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('organisation', new TableColumn(time('deactivated_at')));
    await q.addColumns('wish', [new TableColumn(int('claimant_org_id')), new TableColumn(int('rating_by')), new TableColumn(str('rating_consent', 16))]);
    await q.addColumn('wish_event', new TableColumn(int('actor_org_id')));
    await q.addColumns('fund_spend', [new TableColumn(int('reviewed_by')), new TableColumn(time('reviewed_at'))]);
    // 'pending_community' is 17 characters; the column was made for 16 (SQLite does not enforce lengths).
    if (!sqlite(q)) await q.query(`ALTER TABLE fund_spend MODIFY status VARCHAR(24) NOT NULL`);

    // Claims made before: the organisation follows from the role the claim was made in.
    await q.query(
      `UPDATE wish SET claimant_org_id = CASE claimant_role
         WHEN 'branch_secretary' THEN compound_id
         WHEN 'street_handler' THEN street_id
         WHEN 'unit_admin' THEN (SELECT MIN(g.org_id) FROM role_grant g WHERE g.user_id = wish.claimant_id AND g.role = 'unit_admin')
         ELSE community_id END
       WHERE claimant_id IS NOT NULL`,
    );
    await q.query(`UPDATE fund_spend SET status = 'pending_street' WHERE status = 'pending_approval'`);

    await q.createIndex('wish', new TableIndex({ name: 'idx_wish_assignee', columnNames: ['assignee_id', 'id'] }));
    await q.createIndex('wish', new TableIndex({ name: 'idx_wish_claimant_org', columnNames: ['claimant_org_id', 'id'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('wish', 'idx_wish_claimant_org');
    await q.dropIndex('wish', 'idx_wish_assignee');
    // Under the earlier rule every spend waiting for anyone waited for the street.
    await q.query(`UPDATE fund_spend SET status = 'pending_approval' WHERE status IN ('pending_street', 'pending_community')`);
    if (!sqlite(q)) await q.query(`ALTER TABLE fund_spend MODIFY status VARCHAR(16) NOT NULL`);
    await q.dropColumns('fund_spend', ['reviewed_by', 'reviewed_at']);
    await q.dropColumn('wish_event', 'actor_org_id');
    await q.dropColumns('wish', ['claimant_org_id', 'rating_by', 'rating_consent']);
    await q.dropColumn('organisation', 'deactivated_at');
  }
}
