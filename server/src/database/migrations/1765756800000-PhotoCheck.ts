import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

/**
 * WeChat's asynchronous media check of each stored photo (issue 14).
 *
 * check_state: pending (waiting for WeChat: shown to its uploader and the community's staff
 * only), passed, review (WeChat asks a person to look: shown, marked for staff), failed
 * (hidden from everyone, kept for the record), unchecked (WeChat not configured, or no
 * result in time: shown, marked for staff). Photos stored before this migration were never
 * checked: they become `unchecked`, as they were shown until now.
 *
 * check_trace_id: WeChat's trace_id of the latest submission (the push names it);
 * check_attempts / check_next_at: the submission job's retries and when it looks again.
 */
export class PhotoCheck1765756800000 implements MigrationInterface {
  name = 'PhotoCheck1765756800000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('photo', [
      new TableColumn({ name: 'check_state', type: 'varchar', length: '16', isNullable: false, default: "'unchecked'" }),
      new TableColumn({ name: 'check_trace_id', type: 'varchar', length: '128', isNullable: true }),
      new TableColumn({ name: 'check_label', type: 'int', isNullable: true }),
      new TableColumn({ name: 'check_attempts', type: 'int', isNullable: false, default: 0 }),
      new TableColumn({ name: 'check_next_at', type: 'datetime', precision: 3, isNullable: true }),
      new TableColumn({ name: 'check_submitted_at', type: 'datetime', precision: 3, isNullable: true }),
      new TableColumn({ name: 'checked_at', type: 'datetime', precision: 3, isNullable: true }),
    ]);
    await q.createIndex('photo', new TableIndex({ name: 'idx_photo_check_trace', columnNames: ['check_trace_id'] }));
    await q.createIndex('photo', new TableIndex({ name: 'idx_photo_check_due', columnNames: ['check_state', 'check_next_at'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('photo', 'idx_photo_check_due');
    await q.dropIndex('photo', 'idx_photo_check_trace');
    await q.dropColumns('photo', ['check_state', 'check_trace_id', 'check_label', 'check_attempts', 'check_next_at', 'check_submitted_at', 'checked_at']);
  }
}
