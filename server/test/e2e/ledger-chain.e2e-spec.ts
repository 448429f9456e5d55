// The ledger that shows tampering (issue 13): every wish event is sealed onto its wish's hash
// chain, in the move's transaction (people's moves, submissions, the sweeper's timer moves).
// Rows changed behind the application's back — edited, deleted, forged — are named by the
// command line (`ledger verify`) and by GET /api/ledger/verify: wish, event, kind. An account
// deletion's erasure of typed text is not tampering. The day's digest (台账校验码) is stable
// and changes when an event of the day is edited.
import * as ExcelJS from 'exceljs';
import { ERASED_TEXT } from '@xinyuan/shared';
import { FakeClock } from '../../src/common/clock';
import { runLedgerVerify } from '../../src/modules/ledger/ledger-verify.cli';
import { DispatchSweeper } from '../../src/modules/wishes/jobs/dispatch.sweeper';
import { createTestApp, type TestApp } from '../create-test-app';
import { buildWorld, type World } from '../factories/world';
import { bj } from '../support';

/** Beijing wall time. */
const DAY = '2026-11-23';
jest.setTimeout(120_000);

describe('the hash-chained ledger', () => {
  let t: TestApp;
  let w: World;
  const tok = (k: keyof World['users']) => t.tokenFor(w.users[k]);
  const q = (sql: string, params: unknown[] = []) => t.database.dataSource.query(sql, params);
  const ids: Record<string, number> = {};

  /** The command line's output and exit status. */
  async function cli(...args: string[]): Promise<{ code: number; out: string }> {
    let out = '';
    const code = await runLedgerVerify(t.database, args, (s) => (out += s));
    return { code, out };
  }
  const verify = (query = '') => t.http.get(`/api/ledger/verify?scope=community&orgId=${w.communityA}${query}`, tok('staff'));

  async function submit(title: string, by: keyof World['users'] = 'resident'): Promise<number> {
    const r = await t.http.post('/api/wishes', { communityId: w.communityA, compoundId: w.compoundA, category: 'repair', title, description: '描述', beneficiaryName: '王大妈', beneficiaryPhone: '13900001111', address: '3号楼2单元101', forSelf: true }, tok(by));
    expect(r.status).toBe(201);
    return r.body.id;
  }
  async function move(id: number, action: string, by: keyof World['users'], body: Record<string, unknown> = {}): Promise<void> {
    t.clock.advance(60_000);
    const r = await t.http.post(`/api/wishes/${id}/${action}`, body, tok(by));
    expect([action, r.status, r.body?.code]).toEqual([action, 200, undefined]);
  }

  beforeAll(async () => {
    t = await createTestApp({}, { clock: new FakeClock(bj(`${DAY} 09:30`).getTime()) });
    w = await buildWorld(t.database, t.clock.now());
    // Resolved with a comment; cancelled with a reason; disputed; one left open for the timers.
    ids.resolved = await submit('楼道灯不亮');
    await move(ids.resolved, 'approve', 'staff');
    await move(ids.resolved, 'claim', 'member');
    await move(ids.resolved, 'complete', 'member', { note: '已更换灯泡' });
    await move(ids.resolved, 'confirm', 'resident', { rating: 'satisfied', comment: '谢谢小张，很及时' });
    ids.cancelled = await submit('不需要了的心愿');
    await move(ids.cancelled, 'cancel', 'resident', { reason: '家里人已经修好了' });
    ids.disputed = await submit('门禁坏了', 'resident2');
    await move(ids.disputed, 'approve', 'staff');
    await move(ids.disputed, 'claim', 'member2');
    await move(ids.disputed, 'complete', 'member2', { note: '修好了' });
    await move(ids.disputed, 'dispute', 'resident2', { reason: '还是坏的' });
    ids.open = await submit('帮忙搬家具');
    await move(ids.open, 'approve', 'staff');
    // The sweeper: several windows passed at once, so one batch writes several steps of one wish, in order.
    t.clock.set(bj(`${DAY} 23:30`));
    const before = Number((await q(`SELECT COUNT(*) AS n FROM wish_event WHERE wish_id = ?`, [ids.open]))[0].n);
    t.clock.set(new Date(bj(`${DAY} 23:30`).getTime()));
    await t.app.get(DispatchSweeper).sweepOnce(bj('2026-12-20 12:00'));
    t.clock.set(bj(`${DAY} 23:40`));
    const after = Number((await q(`SELECT COUNT(*) AS n FROM wish_event WHERE wish_id = ?`, [ids.open]))[0].n);
    expect(after - before).toBeGreaterThanOrEqual(3); // escalations to tiers 2, 3, 4 and the supervision flag
  });
  afterAll(() => t.close());

  it('seals every event in order: seq 1, 2, ... per wish, the head on the wish row', async () => {
    const rows = await q(`SELECT wish_id, seq, chain_hash FROM wish_event ORDER BY wish_id, id`);
    const seqs = new Map<number, number[]>();
    for (const r of rows) {
      expect(r.chain_hash).toMatch(/^[0-9a-f]{64}$/);
      seqs.set(Number(r.wish_id), [...(seqs.get(Number(r.wish_id)) ?? []), Number(r.seq)]);
    }
    expect(seqs.get(ids.resolved)).toEqual([1, 2, 3, 4, 5]);
    expect(seqs.get(ids.cancelled)).toEqual([1, 2]);
    for (const [wishId, s] of seqs) {
      const [head] = await q(`SELECT chain_seq, chain_head FROM wish WHERE id = ?`, [wishId]);
      const [last] = await q(`SELECT seq, chain_hash FROM wish_event WHERE wish_id = ? ORDER BY id DESC LIMIT 1`, [wishId]);
      expect([Number(head.chain_seq), head.chain_head]).toEqual([s.length, last.chain_hash]);
    }
    // The free text is in the hash through its digest, never as text beside it.
    const [confirm] = await q(`SELECT text_digest FROM wish_event WHERE wish_id = ? AND type = 'confirm'`, [ids.resolved]);
    expect(confirm.text_digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('verifies intact on the command line and through the endpoint', async () => {
    const c = await cli();
    expect(c.code).toBe(0);
    expect(c.out).toContain('every chain is intact');
    const r = await verify();
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ok: true, wishes: 4, firstBreak: null, brokenWishes: 0, day: null, digestMatches: null });
    expect((await cli(`--wish=${ids.resolved}`)).code).toBe(0);
  });

  it('names an event edited in the database: wish, event, seq, edited', async () => {
    const [claim] = await q(`SELECT id, actor_id FROM wish_event WHERE wish_id = ? AND type = 'claim'`, [ids.resolved]);
    // Someone gives the claim to another member, straight in the database.
    await q(`UPDATE wish_event SET actor_id = ? WHERE id = ?`, [w.users.member2, claim.id]);
    try {
      const c = await cli();
      expect(c.code).toBe(1);
      expect(c.out).toContain(`the first broken link: wish ${ids.resolved}, event ${claim.id}, seq 3: edited row`);
      const r = await verify();
      expect(r.body.ok).toBe(false);
      expect(r.body.firstBreak).toMatchObject({ wishId: ids.resolved, eventId: Number(claim.id), seq: 3, kind: 'edited' });
      expect(r.body.brokenWishes).toBe(1);
      // A changed reason is an edit too (the text digest no longer matches), unless its author deleted the account.
      await q(`UPDATE wish_event SET actor_id = ? WHERE id = ?`, [claim.actor_id, claim.id]);
      const [cancel] = await q(`SELECT id FROM wish_event WHERE wish_id = ? AND type = 'cancel'`, [ids.cancelled]);
      await q(`UPDATE wish_event SET reason = ? WHERE id = ?`, ['系统测试', cancel.id]);
      expect((await verify()).body.firstBreak).toMatchObject({ wishId: ids.cancelled, eventId: Number(cancel.id), seq: 2, kind: 'edited' });
      await q(`UPDATE wish_event SET reason = ? WHERE id = ?`, [ERASED_TEXT, cancel.id]);
      expect((await verify()).body.firstBreak).toMatchObject({ wishId: ids.cancelled, eventId: Number(cancel.id), kind: 'edited' }); // the resident has not deleted their account
      await q(`UPDATE wish_event SET reason = ? WHERE id = ?`, ['家里人已经修好了', cancel.id]);
    } finally {
      await q(`UPDATE wish_event SET actor_id = ? WHERE id = ?`, [claim.actor_id, claim.id]);
    }
    expect((await verify()).body.ok).toBe(true);
  });

  it('names a deleted event (a gap in the chain, or the end short of the head) and a forged one', async () => {
    const events = await q(`SELECT * FROM wish_event WHERE wish_id = ? ORDER BY id`, [ids.disputed]);
    const restore = async (row: Record<string, unknown>) => {
      const cols = Object.keys(row);
      await q(`INSERT INTO wish_event (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`, cols.map((k) => row[k]));
    };
    // A middle event (the completion) is deleted.
    const complete = events.find((e: any) => e.type === 'complete');
    await q(`DELETE FROM wish_event WHERE id = ?`, [complete.id]);
    let r = await verify();
    const next = events[events.indexOf(complete) + 1];
    expect(r.body.firstBreak).toMatchObject({ wishId: ids.disputed, eventId: Number(next.id), seq: Number(next.seq), kind: 'missing', expected: `seq ${complete.seq}` });
    let c = await cli(`--wish=${ids.disputed}`);
    expect(c.out).toContain(`wish ${ids.disputed}, event ${next.id}, seq ${next.seq}: missing row`);
    await restore(complete);
    expect((await verify()).body.ok).toBe(true);

    // The last event is deleted: the head on the wish row still says where the chain ended.
    const last = events[events.length - 1];
    await q(`DELETE FROM wish_event WHERE id = ?`, [last.id]);
    r = await verify();
    expect(r.body.firstBreak).toMatchObject({ wishId: ids.disputed, eventId: null, seq: Number(last.seq), kind: 'missing' });
    await restore(last);
    expect((await verify()).body.ok).toBe(true);

    // A forged event written straight into the table, as a plain INSERT would.
    await q(
      `INSERT INTO wish_event (wish_id, type, from_state, to_state, from_tier, to_tier, actor_id, actor_role, reason, payload, created_at) VALUES (?, 'confirm', 'awaiting_confirmation', 'resolved', 1, 1, ?, 'resident', NULL, ?, ?)`,
      [ids.disputed, w.users.resident2, JSON.stringify({ rating: 'satisfied' }), t.database.time(bj(`${DAY} 12:00`))],
    );
    const [forged] = await q(`SELECT MAX(id) AS id FROM wish_event`);
    r = await verify();
    expect(r.body.firstBreak).toMatchObject({ wishId: ids.disputed, eventId: Number(forged.id), seq: null, kind: 'inserted' });
    c = await cli();
    expect(c.code).toBe(1);
    expect(c.out).toContain(`wish ${ids.disputed}, event ${forged.id}, seq -: inserted row`);
    // A forged event that copies a seq of the chain.
    await q(`UPDATE wish_event SET seq = 2, chain_hash = ? WHERE id = ?`, ['0'.repeat(64), forged.id]);
    expect((await verify()).body.firstBreak).toMatchObject({ wishId: ids.disputed, eventId: Number(forged.id), seq: 2, kind: 'inserted' });
    await q(`DELETE FROM wish_event WHERE id = ?`, [forged.id]);
    expect((await verify()).body.ok).toBe(true);
  });

  it("gives the day's digest: stable, changed by an edit of that day, compared with a printed one", async () => {
    const r1 = await verify(`&day=${DAY}`);
    expect(r1.status).toBe(200);
    const d = r1.body.day;
    expect(d).toMatchObject({ scope: 'community', orgId: w.communityA, day: DAY, chainsOk: true });
    expect(d.digest).toMatch(/^[0-9a-f]{64}$/);
    const [n] = await q(`SELECT COUNT(*) AS n, MAX(id) AS last FROM wish_event WHERE created_at >= ? AND created_at < ?`, [t.database.time(bj(`${DAY} 00:00`)), t.database.time(bj('2026-11-24 00:00'))]);
    expect([d.events, d.lastEventId]).toEqual([Number(n.n), Number(n.last)]);
    // Asked again (and by the command line): the same.
    expect((await verify(`&day=${DAY}`)).body.day.digest).toBe(d.digest);
    const c = await cli(`--org=${w.communityA}`, `--day=${DAY}`, `--digest=${d.digest}`);
    expect(c.code).toBe(0);
    expect(c.out).toContain(`台账校验码 ${DAY} community ${w.communityA}: ${d.digest}`);
    expect(c.out).toContain('the printed digest matches');
    expect((await verify(`&day=${DAY}&digest=${d.digest}`)).body.digestMatches).toBe(true);
    // Another day, another digest; events written later do not change a digest printed with its last event.
    expect((await verify('&day=2026-11-22')).body.day).toMatchObject({ events: 0, lastEventId: null });
    const id = await submit('打印之后写的心愿');
    const upTo = `&day=${DAY}&upTo=${d.lastEventId}&digest=${d.digest}`;
    expect((await verify(upTo)).body).toMatchObject({ ok: true, digestMatches: true });
    expect((await verify(`&day=${DAY}`)).body.day.digest).not.toBe(d.digest);

    // An event of that day edited in the database: a different digest, and the printed one no longer matches.
    const [approve] = await q(`SELECT id, created_at FROM wish_event WHERE wish_id = ? AND type = 'approve'`, [ids.resolved]);
    await q(`UPDATE wish_event SET created_at = ? WHERE id = ?`, [t.database.time(bj(`${DAY} 09:00`)), approve.id]);
    const r2 = await verify(upTo);
    expect(r2.body.digestMatches).toBe(false);
    expect(r2.body.day.chainsOk).toBe(false);
    expect(r2.body.firstBreak).toMatchObject({ wishId: ids.resolved, eventId: Number(approve.id), kind: 'edited' });
    const bad = await cli(`--org=${w.communityA}`, `--day=${DAY}`, `--digest=${d.digest}`, `--up-to=${d.lastEventId}`);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('the printed digest does NOT match');
    await q(`UPDATE wish_event SET created_at = ? WHERE id = ?`, [approve.created_at, approve.id]);
    expect((await verify(upTo)).body.digestMatches).toBe(true);
    await q(`DELETE FROM wish_event WHERE wish_id = ?`, [id]);
    await q(`DELETE FROM wish WHERE id = ?`, [id]);
  });

  it('prints the digest on the dashboard and in the xlsx export', async () => {
    t.clock.set(bj('2026-11-24 10:00'));
    const dash = await t.http.get(`/api/ledger/dashboard?scope=community&orgId=${w.communityA}&year=2026`, tok('staff'));
    expect(dash.status).toBe(200);
    const v = await verify(`&day=${DAY}`);
    expect(dash.body.dayDigest).toEqual(v.body.day);
    const x = await fetch(`${t.baseUrl}/api/ledger/export.xlsx?communityId=${w.communityA}&from=${DAY}&to=2026-11-24`, { headers: { authorization: `Bearer ${tok('staff')}` } });
    expect(x.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await x.arrayBuffer()) as never);
    const sheet = wb.getWorksheet('台账校验码')!;
    const rows: unknown[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows[1]).toEqual(['日期', '范围', '机构ID', '事件数', '截至事件', '台账校验码', '链校验']);
    expect(rows[2]).toEqual([DAY, '社区', w.communityA, v.body.day.events, v.body.day.lastEventId, v.body.day.digest, '通过']);
    expect(rows[3][0]).toBe('2026-11-24');
  });

  it('who may verify: the readers of the whole ledger and rates of the organisation', async () => {
    expect((await t.http.get(`/api/ledger/verify?scope=community&orgId=${w.communityA}`, tok('street'))).status).toBe(200);
    expect((await t.http.get(`/api/ledger/verify?scope=community&orgId=${w.communityA}`, tok('city'))).status).toBe(200);
    expect((await t.http.get(`/api/ledger/verify?scope=community&orgId=${w.communityA}`, tok('staffB'))).status).toBe(403);
    expect((await t.http.get(`/api/ledger/verify?scope=community&orgId=${w.communityA}`, tok('secretary'))).status).toBe(403);
    expect((await t.http.get(`/api/ledger/verify?scope=community&orgId=${w.communityA}`, tok('member'))).status).toBe(403);
    expect((await t.http.get(`/api/ledger/verify?scope=community&orgId=${w.communityA}&digest=${'a'.repeat(64)}`, tok('staff'))).status).toBe(400);
    expect((await t.http.get(`/api/ledger/verify?scope=community&orgId=${w.communityA}&day=2026-02-30`, tok('staff'))).status).toBe(400);
  });

  it("keeps the chain valid through an account deletion's erasure, and says so", async () => {
    const del = await t.http.request('DELETE', '/api/me', { token: tok('resident'), body: { confirm: true } });
    expect(del.status).toBe(200);
    // The reason and the comment the resident typed are gone from the events...
    const [cancel] = await q(`SELECT reason FROM wish_event WHERE wish_id = ? AND type = 'cancel'`, [ids.cancelled]);
    expect(cancel.reason).toBe(ERASED_TEXT);
    const [confirm] = await q(`SELECT payload FROM wish_event WHERE wish_id = ? AND type = 'confirm'`, [ids.resolved]);
    expect(JSON.parse(confirm.payload).comment).toBeNull();
    // ...and the chain is intact, the erasures counted apart.
    const r = await t.http.get(`/api/ledger/verify?scope=community&orgId=${w.communityA}`, tok('staff'));
    expect(r.body).toMatchObject({ ok: true, firstBreak: null, erased: 2 });
    const c = await cli();
    expect(c.code).toBe(0);
    expect(c.out).toContain('2 events with text erased under PIPL (valid)');
  });
});
