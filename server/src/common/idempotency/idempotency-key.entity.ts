import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One kept idempotency key (migration Idempotency1765929600000 says what each column means). */
@Entity('idempotency_key')
export class IdempotencyKey {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'user_id', type: 'int' }) userId: number;
  @Column({ name: 'idem_key', type: 'varchar', length: 100 }) key: string;
  @Column({ type: 'varchar', length: 300 }) route: string;
  @Column({ type: 'varchar', length: 64 }) fingerprint: string;
  @Column({ type: 'varchar', length: 8 }) state: 'running' | 'done';
  @Column({ type: 'varchar', length: 36 }) owner: string;
  @Column({ name: 'lease_until', type: 'datetime' }) leaseUntil: Date;
  @Column({ name: 'committed_at', type: 'datetime', nullable: true }) committedAt: Date | null;
  /** The stored answer's status; null on a `done` row: a write committed but its answer was lost (a 5xx after it). */
  @Column({ type: 'int', nullable: true }) status: number | null;
  /** The stored answer's body, as sent (JSON text; '' for none). */
  @Column({ type: 'text', nullable: true }) response: string | null;
  @Column({ name: 'created_at', type: 'datetime' }) createdAt: Date;
  @Column({ name: 'expires_at', type: 'datetime' }) expiresAt: Date;
}
