import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/**
 * Interval jobs held by one instance at a time (issue 16, common/jobs/job-lease.ts): one row per
 * job name. holder: the instance holding it ('' before anyone did); fence: goes up by one each time
 * the holder changes; expires_at: the database's time after which another instance may take it.
 */
export class JobLease1766102400000 implements MigrationInterface {
  name = 'JobLease1766102400000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'job_lease',
        columns: [
          { name: 'name', type: 'varchar', length: '64', isPrimary: true },
          { name: 'holder', type: 'varchar', length: '100', isNullable: false },
          { name: 'fence', type: 'bigint', isNullable: false, default: 0 },
          { name: 'expires_at', type: 'datetime', precision: 3, isNullable: false },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('job_lease');
  }
}
