import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PhotoCheckState } from '@xinyuan/shared';

/** A wish's photos, its proof's photos, or its voice note (an audio row). */
export type PhotoPurpose = 'wish' | 'proof' | 'voice';

/** WeChat's media check of the photo (migration PhotoCheck1765756800000 says what each state shows). */
export type { PhotoCheckState } from '@xinyuan/shared';

@Entity('photo')
export class Photo {
  @PrimaryColumn({ type: 'varchar' }) id: string;
  @Column({ name: 'owner_id', type: 'int' }) ownerId: number;
  @Column({ type: 'varchar' }) mime: string;
  @Column({ type: 'int' }) size: number;
  @Column({ name: 'storage_key', type: 'varchar' }) storageKey: string;
  /** Set when a wish or its proof takes the photo; a photo is used once. */
  @Column({ name: 'wish_id', type: 'int', nullable: true }) wishId: number | null;
  @Column({ type: 'varchar', nullable: true }) purpose: PhotoPurpose | null;
  @Column({ name: 'created_at', type: 'datetime' }) createdAt: Date;
  @Column({ name: 'check_state', type: 'varchar', length: 16, default: 'unchecked' }) checkState: PhotoCheckState;
  @Column({ name: 'check_trace_id', type: 'varchar', length: 128, nullable: true }) checkTraceId: string | null;
  @Column({ name: 'check_label', type: 'int', nullable: true }) checkLabel: number | null;
  @Column({ name: 'check_attempts', type: 'int', default: 0 }) checkAttempts: number;
  @Column({ name: 'check_next_at', type: 'datetime', nullable: true }) checkNextAt: Date | null;
  @Column({ name: 'check_submitted_at', type: 'datetime', nullable: true }) checkSubmittedAt: Date | null;
  @Column({ name: 'checked_at', type: 'datetime', nullable: true }) checkedAt: Date | null;
  /** A voice note's length, read from its frames at upload; null for a photo. */
  @Column({ name: 'duration_ms', type: 'int', nullable: true }) durationMs: number | null;
}
