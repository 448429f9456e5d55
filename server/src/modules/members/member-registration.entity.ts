import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { RegistrationStatus } from '@xinyuan/shared';

/** A member's registration at a community (双报到), verified by its staff. */
@Entity('member_registration')
export class MemberRegistration {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'user_id', type: 'int' }) userId: number;
  @Column({ name: 'community_id', type: 'int' }) communityId: number;
  /** Sealed (common/crypto/pii.ts). */
  @Column({ name: 'real_name', type: 'varchar' }) realName: string;
  /** Sealed. */
  @Column({ type: 'varchar' }) phone: string;
  /** Keyed hash of the phone's digits (one registration per phone and community). */
  @Column({ name: 'phone_hash', type: 'varchar', nullable: true }) phoneHash: string | null;
  @Column({ name: 'work_unit', type: 'varchar' }) workUnit: string;
  @Column({ type: 'varchar' }) status: RegistrationStatus;
  @Column({ name: 'refuse_reason', type: 'varchar', nullable: true }) refuseReason: string | null;
  @Column({ name: 'reviewed_by', type: 'int', nullable: true }) reviewedBy: number | null;
  @Column({ name: 'reviewed_at', type: 'datetime', nullable: true }) reviewedAt: Date | null;
  @Column({ name: 'revoke_reason', type: 'varchar', nullable: true }) revokeReason: string | null;
  @Column({ name: 'revoked_by', type: 'int', nullable: true }) revokedBy: number | null;
  @Column({ name: 'revoked_at', type: 'datetime', nullable: true }) revokedAt: Date | null;
  @Column({ name: 'created_at', type: 'datetime' }) createdAt: Date;
  /** The registrant's name and phone were erased (withdrawal or account deletion). */
  @Column({ name: 'erased_at', type: 'datetime', nullable: true }) erasedAt: Date | null;
}
