import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { CommunityClass, OrgKind } from '@xinyuan/shared';

@Entity('organisation')
export class Organisation {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'varchar' }) kind: OrgKind;
  @Column({ type: 'varchar' }) name: string;
  @Column({ name: 'parent_id', type: 'int', nullable: true }) parentId: number | null;
  @Column({ name: 'community_class', type: 'varchar', nullable: true }) communityClass: CommunityClass | null;
  @Column({ name: 'yearly_fund_fen', type: 'int', nullable: true }) yearlyFundFen: number | null;
  /** Grants on a deactivated organisation count for nothing (its wishes stay in the ledger). */
  @Column({ name: 'deactivated_at', type: 'datetime', nullable: true }) deactivatedAt: Date | null;
  /** A community's office phone (联系社区), set by its committee; null until set. */
  @Column({ name: 'office_phone', type: 'varchar', nullable: true }) officePhone: string | null;
  @Column({ name: 'created_at', type: 'datetime' }) createdAt: Date;
}

@Entity('unit_pairing')
export class UnitPairing {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'unit_id', type: 'int' }) unitId: number;
  @Column({ name: 'community_id', type: 'int' }) communityId: number;
  /** Agreement dates, YYYY-MM-DD, inclusive. */
  @Column({ name: 'starts_on', type: 'date' }) startsOn: string;
  @Column({ name: 'ends_on', type: 'date', nullable: true }) endsOn: string | null;
  @Column({ name: 'created_at', type: 'datetime' }) createdAt: Date;
}
