// The outbox core: notices written in the same transaction as the event that causes
// them (by the wish lifecycle, the dispatch sweeper, the urge), delivered afterwards by
// the notifications module's sender (inbox always, WeChat when granted). This file
// imports neither module: both depend on it, never on each other
// (test/unit/module-cycles.spec.ts keeps it so).
import type { EntityManager } from 'typeorm';
import type { NoticeKind } from '@xinyuan/shared';

export type { NoticeKind } from '@xinyuan/shared';

/** Who a notice is for; the sender resolves it to people when it delivers. */
export type Audience =
  | { type: 'user'; userId: number }
  /** Everyone who may claim the notice's wish at the notice's tier (members, staff, branch secretary, paired units, street desk). */
  | { type: 'tier_claimers' }
  /** The district's (and city's) Party organisation department: city_admin grants on either. */
  | { type: 'district'; districtId: number }
  /** A community's committee (community_admin grants on it): the review backlog. */
  | { type: 'committee'; communityId: number };

export const AUDIENCE_TYPES = ['user', 'tier_claimers', 'district', 'committee'] as const satisfies readonly Audience['type'][];

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

/** The audience an outbox row's columns name; throws when they name none. */
export function audienceOf(type: string, id: number | null): Audience {
  if (type === 'tier_claimers') return { type };
  if (type === 'user' && id !== null) return { type, userId: id };
  if (type === 'district' && id !== null) return { type, districtId: id };
  if (type === 'committee' && id !== null) return { type, communityId: id };
  throw new Error(`unknown audience ${type}${id === null ? '' : ` ${id}`}`);
}

/** The (audience_type, audience_id) columns of an audience. */
export function audienceColumns(a: Audience): [Audience['type'], number | null] {
  switch (a.type) {
    case 'user':
      return ['user', a.userId];
    case 'district':
      return ['district', a.districtId];
    case 'committee':
      return ['committee', a.communityId];
    default:
      return ['tier_claimers', null];
  }
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

/**
 * Takes the day for a notice that goes out once per Beijing day per scope (notice_once's primary
 * key is the guard: a retry, or another instance at the same time, finds the day taken); false
 * when it was taken already. `sqlite` picks the dialect of "insert unless there".
 */
export async function takeDay(m: EntityManager, sqlite: boolean, scope: string, day: string, at: Date | string): Promise<boolean> {
  if (!m.queryRunner) throw new Error('takeDay() must run inside a transaction');
  const verb = sqlite ? 'INSERT OR IGNORE' : 'INSERT IGNORE';
  const r = await m.queryRunner.query(`${verb} INTO notice_once (scope, day, created_at) VALUES (?, ?, ?)`, [scope, day, at], true);
  return Number(r.affected ?? 0) === 1;
}
