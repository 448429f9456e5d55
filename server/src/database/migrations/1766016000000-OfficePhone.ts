import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * A community's office phone (issue 15, 联系社区): set by its committee, shown on its wishes so a
 * resident calls the community with one tap. Null until the committee sets one.
 */
export class OfficePhone1766016000000 implements MigrationInterface {
  name = 'OfficePhone1766016000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('organisation', new TableColumn({ name: 'office_phone', type: 'varchar', length: '20', isNullable: true }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('organisation', 'office_phone');
  }
}
