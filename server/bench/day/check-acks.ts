// Every write the API acknowledged (bench:day --ack-log=FILE) is in the database exactly once.
//
//   node -r ./test/fakes/ts-register.js bench/day/check-acks.ts --ack-log=FILE (--sqlite=FILE | --database-url=URL)
//
// Prints "acknowledged N, found N, lost 0, doubled 0" and exits 1 when lost or doubled is above 0.
//   - found: the photo, the registration, the wish, or the move's event (type, wish, actor) is there;
//   - doubled: two wishes for one Idempotency-Key (the title carries the key), more events of a move by
//     its actor on a wish than distinct keys acknowledged for it, a timer step recorded twice (same wish,
//     type, tier and due time), a notice enqueued twice (same wish, kind, audience, tier and time), or an
//     inbox line twice for one notice and person (the unique index should make that impossible).
// A key acknowledged twice (the second answer replayed) is one write.
import { readFileSync } from 'node:fs';
import type { AckRecord } from './client';
import { knobs } from './day';
import { DbView } from './probes';

export interface CheckResult {
  acknowledged: number;
  found: number;
  lost: number;
  doubled: number;
  details: string[];
}

const MOVES = ['approve', 'reject', 'claim', 'complete', 'confirm', 'dispute'];

export async function checkAcks(ackFile: string, db: DbView): Promise<CheckResult> {
  const byKey = new Map<string, AckRecord>();
  for (const line of readFileSync(ackFile, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const a = JSON.parse(line) as AckRecord;
    if (!byKey.has(a.key)) byKey.set(a.key, a);
  }
  const acks = [...byKey.values()];
  const r: CheckResult = { acknowledged: acks.length, found: 0, lost: 0, doubled: 0, details: [] };
  const lost = (a: AckRecord, why: string) => {
    r.lost++;
    if (r.details.length < 30) r.details.push(`lost ${a.kind} ${a.key}: ${why}`);
  };
  const doubled = (what: string) => {
    r.doubled++;
    if (r.details.length < 30) r.details.push(`doubled ${what}`);
  };
  const chunks = <T>(xs: T[], n = 500): T[][] => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));
  const inList = (n: number) => Array(n).fill('?').join(', ');

  // Photos and registrations: the row is there.
  for (const [kind, table, field] of [['photo', 'photo', 'photoId'], ['registration', 'member_registration', 'regId']] as const) {
    const list = acks.filter((a) => a.kind === kind);
    const have = new Set<string>();
    for (const part of chunks(list)) for (const row of await db.all(`SELECT id FROM ${table} WHERE id IN (${inList(part.length)})`, part.map((a) => a[field]))) have.add(String(row.id));
    for (const a of list) (have.has(String(a[field])) ? r.found++ : lost(a, `${table} ${a[field]} missing`));
  }

  // Wishes: the one the answer named has this key's title; no other wish has it.
  const wishes = acks.filter((a) => a.kind === 'wish');
  const titles = new Map<string, number[]>();
  for (const part of chunks(wishes))
    for (const row of await db.all(`SELECT id, title FROM wish WHERE title IN (${inList(part.length)})`, part.map((a) => `帮忙${a.key.slice(-12)}`))) {
      const t = String(row.title);
      titles.set(t, [...(titles.get(t) ?? []), Number(row.id)]);
    }
  for (const a of wishes) {
    const ids = titles.get(`帮忙${a.key.slice(-12)}`) ?? [];
    if (!ids.includes(Number(a.wishId))) lost(a, `wish ${a.wishId} missing`);
    else r.found++;
    if (ids.length > 1) doubled(`wish for key ${a.key}: wishes ${ids.join(', ')}`);
  }

  // Moves: the event of that type by that actor on that wish, no more of them than keys acknowledged.
  const moves = acks.filter((a) => MOVES.includes(a.kind));
  const want = new Map<string, AckRecord[]>();
  for (const a of moves) {
    const k = `${a.wishId}/${a.kind}/${a.userId}`;
    want.set(k, [...(want.get(k) ?? []), a]);
  }
  const got = new Map<string, number>();
  const ids = [...new Set(moves.map((a) => Number(a.wishId)))];
  for (const part of chunks(ids))
    for (const row of await db.all(
      `SELECT wish_id, type, actor_id, COUNT(*) AS n FROM wish_event WHERE wish_id IN (${inList(part.length)}) AND type IN (${inList(MOVES.length)}) GROUP BY wish_id, type, actor_id`,
      [...part, ...MOVES],
    ))
      got.set(`${row.wish_id}/${row.type}/${row.actor_id}`, Number(row.n));
  for (const [k, list] of want) {
    const n = got.get(k) ?? 0;
    list.forEach((a, i) => (i < n ? r.found++ : lost(a, `no ${a.kind} event by user ${a.userId} on wish ${a.wishId}`)));
    if (n > list.length) doubled(`${k}: ${n} events for ${list.length} acknowledged`);
  }

  // The system's own writes: a timer step twice, a notice twice, an inbox line twice.
  for (const row of await db.all(
    "SELECT wish_id, type, to_tier, created_at, COUNT(*) AS n FROM wish_event WHERE actor_role = 'system' GROUP BY wish_id, type, to_tier, created_at HAVING COUNT(*) > 1",
  ))
    doubled(`timer step ${row.type} of wish ${row.wish_id} to tier ${row.to_tier} due ${String(row.created_at)}: ${row.n} events`);
  for (const row of await db.all(
    'SELECT wish_id, kind, audience_type, audience_id, tier, created_at, COUNT(*) AS n FROM outbox WHERE wish_id IS NOT NULL GROUP BY wish_id, kind, audience_type, audience_id, tier, created_at HAVING COUNT(*) > 1',
  ))
    doubled(`notice ${row.kind} of wish ${row.wish_id} to ${row.audience_type} ${row.audience_id ?? ''}: ${row.n} outbox rows`);
  for (const row of await db.all('SELECT outbox_id, user_id, COUNT(*) AS n FROM message GROUP BY outbox_id, user_id HAVING COUNT(*) > 1'))
    doubled(`inbox line of notice ${row.outbox_id} for user ${row.user_id}: ${row.n}`);
  return r;
}

export function checkLine(r: CheckResult): string {
  return `acknowledged ${r.acknowledged}, found ${r.found}, lost ${r.lost}, doubled ${r.doubled}`;
}

async function main(): Promise<void> {
  const k = knobs(process.argv.slice(2));
  const file = k.raw('ACK_LOG');
  if (!file) throw new Error('give --ack-log=FILE (written by bench:day --ack-log=FILE)');
  const db = new DbView({ sqlite: k.raw('SQLITE'), databaseUrl: k.raw('DATABASE_URL') });
  try {
    const r = await checkAcks(file, db);
    for (const d of r.details) console.log(d);
    console.log(checkLine(r));
    process.exitCode = r.lost > 0 || r.doubled > 0 ? 1 : 0;
  } finally {
    await db.close();
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(2);
  });
}
