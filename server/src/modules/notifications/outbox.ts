// The outbox: notices written in the same transaction as the event that causes
// them; a sender delivers them afterwards (inbox always, WeChat when granted).
import type { EntityManager } from 'typeorm';
import type { NoticeKind } from '../../config/config';
import { wishNo } from '../wishes/wishes.mapper';

/** Who a notice is for; the sender resolves it to people when it delivers. */
export type Audience =
  | { type: 'user'; userId: number }
  /** Everyone who may claim the notice's wish at the notice's tier (members, staff, branch secretary, paired units, street desk). */
  | { type: 'tier_claimers' }
  /** The district's (and city's) Party organisation department: city_admin grants on either. */
  | { type: 'district'; districtId: number };

export const AUDIENCE_TYPES = ['user', 'tier_claimers', 'district'] as const satisfies readonly Audience['type'][];

/**
 * A notice as the outbox keeps it: plain columns, no JSON. The wish's number and
 * title are not copied: the sender reads them from the wish when it delivers. Every
 * notice is about a wish; a row without one (or whose wish is gone) is a failed
 * attempt, retried and then given up, like any notice the sender cannot deliver.
 */
export interface NoticeInsert {
  wishId: number;
  kind: NoticeKind;
  audience: Audience;
  /** The tier the notice speaks of: the tier reached, or the wish's tier at the move. */
  tier: number;
  /** Free text for the inbox line, e.g. a reason. */
  note?: string | null;
  createdAt: Date;
}

/** What a notice says, put together at delivery from the outbox row and its wish. */
export interface NoticePayload {
  wishNo: string;
  title: string;
  tier: number | null;
  note?: string | null;
}

/** What a notice says: its wish's number and title as they are now, its own tier and note. Null when the wish is gone. */
export function noticePayload(wish: { id: number; title: string; createdAt: Date } | undefined, row: { tier: number | null; note: string | null }): NoticePayload | null {
  return wish ? { wishNo: wishNo(wish), title: wish.title, tier: row.tier, note: row.note } : null;
}

/** The audience an outbox row's columns name; throws when they name none. */
export function audienceOf(type: string, id: number | null): Audience {
  if (type === 'tier_claimers') return { type };
  if (type === 'user' && id !== null) return { type, userId: id };
  if (type === 'district' && id !== null) return { type, districtId: id };
  throw new Error(`unknown audience ${type}${id === null ? '' : ` ${id}`}`);
}

/** The (audience_type, audience_id) columns of an audience. */
export function audienceColumns(a: Audience): [Audience['type'], number | null] {
  return a.type === 'user' ? ['user', a.userId] : a.type === 'district' ? ['district', a.districtId] : ['tier_claimers', null];
}

/** Multi-row insert of notices inside the caller's transaction. */
export async function enqueueNotices(m: EntityManager, items: NoticeInsert[], toDb: (d: Date) => Date | string): Promise<void> {
  if (items.length === 0) return;
  const cols = '(wish_id, kind, audience_type, audience_id, tier, note, status, attempts, next_attempt_at, created_at)';
  const rows: unknown[] = [];
  for (const n of items) {
    const t = toDb(n.createdAt);
    const [type, id] = audienceColumns(n.audience);
    rows.push(n.wishId, n.kind, type, id, n.tier, n.note ?? null, 'pending', 0, t, t);
  }
  const one = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
  await m.query(`INSERT INTO outbox ${cols} VALUES ${items.map(() => one).join(', ')}`, rows);
}
