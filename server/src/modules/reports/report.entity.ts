import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ReportCategory, ReportKind, ReportState } from '@xinyuan/shared';

/** A report (举报) on a wish or a photo, or a complaint (投诉) about the service: migration Reports1765670400000. */
@Entity('report')
export class Report {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'reporter_id', type: 'int' }) reporterId: number;
  @Column({ type: 'varchar' }) kind: ReportKind;
  @Column({ type: 'varchar' }) category: ReportCategory;
  /** Sealed (common/crypto/pii.ts, 'report.text'): people write names and phones into it. */
  @Column({ type: 'text', nullable: true }) text: string | null;
  @Column({ name: 'wish_id', type: 'int', nullable: true }) wishId: number | null;
  @Column({ name: 'photo_id', type: 'varchar', nullable: true }) photoId: string | null;
  @Column({ name: 'community_id', type: 'int' }) communityId: number;
  @Column({ name: 'street_id', type: 'int' }) streetId: number;
  @Column({ name: 'district_id', type: 'int' }) districtId: number;
  @Column({ type: 'varchar' }) state: ReportState;
  @Column({ type: 'varchar', nullable: true }) reply: string | null;
  @Column({ name: 'handled_by', type: 'int', nullable: true }) handledBy: number | null;
  @Column({ name: 'handled_at', type: 'datetime', nullable: true }) handledAt: Date | null;
  @Column({ name: 'created_at', type: 'datetime' }) createdAt: Date;
}
