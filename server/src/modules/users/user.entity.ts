import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { Role } from '@xinyuan/shared';

@Entity('app_user')
export class User {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'varchar' }) openid: string;
  @Column({ type: 'varchar', nullable: true }) unionid: string | null;
  @Column({ type: 'varchar', nullable: true }) nickname: string | null;
  /** Sealed (common/crypto/pii.ts). */
  @Column({ type: 'varchar', nullable: true }) phone: string | null;
  @Column({ name: 'phone_hash', type: 'varchar', nullable: true }) phoneHash: string | null;
  /** In every token as `ver`; bumped by logout, account deletion and deactivation, which revokes older tokens. */
  @Column({ name: 'token_version', type: 'int', default: 0 }) tokenVersion: number;
  /** The account was deleted: openid, name and phone are gone; the row stays as the ledger's anonymous placeholder. */
  @Column({ name: 'deleted_at', type: 'datetime', nullable: true }) deletedAt: Date | null;
  @Column({ name: 'created_at', type: 'datetime' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'datetime' }) updatedAt: Date;
}

/** A role held by a user, scoped to one organisation. Revoked grants are kept. */
@Entity('role_grant')
export class RoleGrant {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'user_id', type: 'int' }) userId: number;
  @Column({ type: 'varchar' }) role: Role;
  @Column({ name: 'org_id', type: 'int' }) orgId: number;
  @Column({ name: 'granted_by', type: 'int', nullable: true }) grantedBy: number | null;
  @Column({ name: 'granted_at', type: 'datetime' }) grantedAt: Date;
  @Column({ name: 'revoked_at', type: 'datetime', nullable: true }) revokedAt: Date | null;
}

/** Consent to a version of the privacy notice; a new row per consent. */
@Entity('consent')
export class Consent {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'user_id', type: 'int' }) userId: number;
  @Column({ name: 'notice_version', type: 'varchar' }) noticeVersion: string;
  @Column({ name: 'consented_at', type: 'datetime' }) consentedAt: Date;
}
