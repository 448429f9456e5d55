import { Column, Entity, PrimaryColumn } from 'typeorm';

export type PhotoPurpose = 'wish' | 'proof';

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
}
