// The outbox: notices written in the same transaction as the event that causes
// them; a sender delivers them afterwards (inbox always, WeChat when granted).
import type { EntityManager } from 'typeorm';
import type { NoticeKind } from '../../config/config';

/** Who a notice is for; the sender resolves it to people when it delivers. */
export type Audience =
  | { type: 'user'; userId: number }
  /** Everyone who may claim the wish at this tier (members, staff, branch secretary, paired units, street desk). */
  | { type: 'tier_claimers'; wishId: number; tier: 1 | 2 | 3 | 4 }
  /** The district's (and city's) Party organisation department: city_admin grants on either. */
  | { type: 'district'; districtId: number };

export interface NoticePayload {
  wishNo: string;
  title: string;
  tier: number;
  /** Free text for the inbox line, e.g. the reason. */
  note?: string | null;
}

export interface NoticeInsert {
  wishId: number;
  kind: NoticeKind;
  audience: Audience;
  payload: NoticePayload;
  createdAt: Date;
}

/** Multi-row insert of notices inside the caller's transaction. */
export async function enqueueNotices(m: EntityManager, items: NoticeInsert[], toDb: (d: Date) => Date | string): Promise<void> {
  if (items.length === 0) return;
  const cols = '(wish_id, kind, audience, payload, status, attempts, next_attempt_at, created_at)';
  const rows: unknown[] = [];
  for (const n of items) {
    const t = toDb(n.createdAt);
    rows.push(n.wishId, n.kind, JSON.stringify(n.audience), JSON.stringify(n.payload), 'pending', 0, t, t);
  }
  const one = '(?, ?, ?, ?, ?, ?, ?, ?)';
  await m.query(`INSERT INTO outbox ${cols} VALUES ${items.map(() => one).join(', ')}`, rows);
}
