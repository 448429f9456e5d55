import * as ExcelJS from 'exceljs';
import { FakeClock } from '../../src/common/clock';
import { LEDGER_TUNING } from '../../src/modules/ledger/ledger.service';
import { LedgerRepository } from '../../src/modules/ledger/ledger.repository';
import { createTestApp, type TestApp } from '../create-test-app';
import { parseCsv, bj } from '../support';
import { buildWorld, type World } from '../factories/world';
import { wishSteps } from '../factories/wish-steps';

/** Beijing wall time. */
const DAY = '2026-11-23';

// Issue 15 "Desk screens": ledger search by number, title or beneficiary phone, with the total count;
// a member's monthly service record (wishes fulfilled, not claimed) readable by the member and by the
// committee of the community they registered at, exportable for their work unit.
describe('ledger search with the total, and members\' monthly service records', () => {
  let t: TestApp;
  let w: World;
  const ids: Record<string, number> = {};
  const { tok, step, submit, move } = wishSteps(() => ({ t, w }));
  const search = async (k: keyof World['users'], q: string, more = '') => {
    const r = await t.http.get(`/api/ledger/wishes?limit=2&q=${encodeURIComponent(q)}${more}`, tok(k));
    expect(r.status).toBe(200);
    return r.body as { items: { id: number; no: string }[]; total: number | null; nextCursor: string | null };
  };

  beforeAll(async () => {
    t = await createTestApp({}, { clock: new FakeClock(bj(`${DAY}T09:00`).getTime()) });
    w = await buildWorld(t.database, t.clock.now());
    ids.lamp1 = await submit();
    ids.lamp2 = await submit({ title: '三楼楼道灯不亮' });
    ids.pipe = await submit({ title: '水管漏水 100%_急', beneficiaryPhone: '13900001111' });
    ids.lampB = await submit({ communityId: w.communityB, compoundId: w.compoundB });
    // Fulfilled by the member: one confirmed with a rating, one claimed and completed but not yet confirmed.
    await move(ids.lamp1, 'approve', 'staff');
    await move(ids.lamp1, 'claim', 'member');
    await move(ids.lamp1, 'complete', 'member', { note: '已办好' });
    await move(ids.lamp1, 'confirm', 'resident', { rating: 'satisfied' });
    await move(ids.lamp2, 'approve', 'staff');
    await move(ids.lamp2, 'claim', 'member');
    await move(ids.lamp2, 'complete', 'member', { note: '已办好' });
    await move(ids.lampB, 'approve', 'staffB');
    await move(ids.lampB, 'claim', 'memberB');
    await move(ids.lampB, 'complete', 'memberB', { note: '好了' });
    await move(ids.lampB, 'confirm', 'resident', { rating: 'basically_satisfied' });
    step();
  });
  afterAll(() => t.close());

  it('finds a wish by its number, within the reader\'s scope only', async () => {
    const no = (await search('staff', '')).items.find((i) => i.id === ids.pipe)?.no ?? (await t.http.get(`/api/ledger/wishes/${ids.pipe}`, tok('staff'))).body.no;
    expect(no).toMatch(/^XY20261123\d{6}$/);
    expect(await search('staff', no)).toMatchObject({ items: [{ id: ids.pipe }], total: 1 });
    expect(await search('staff', no.toLowerCase())).toMatchObject({ total: 1 });
    // The right id with another day is not that wish's number.
    expect(await search('staff', no.replace('20261123', '20261122'))).toMatchObject({ items: [], total: 0 });
    const noB = (await t.http.get(`/api/ledger/wishes/${ids.lampB}`, tok('staffB'))).body.no;
    expect(await search('staff', noB)).toMatchObject({ items: [], total: 0 });
    expect(await search('street', noB)).toMatchObject({ items: [{ id: ids.lampB }], total: 1 });
  });

  it('finds wishes by a part of the title, with the total on the first page only', async () => {
    const first = await search('staff', '楼道灯');
    expect(first.items.map((i) => i.id)).toEqual([ids.lamp2, ids.lamp1]);
    expect(first.total).toBe(2);
    const street = await search('street', '楼道灯');
    expect(street.total).toBe(3);
    expect(street.items.map((i) => i.id)).toEqual([ids.lampB, ids.lamp2]);
    const next = await t.http.get(`/api/ledger/wishes?limit=2&q=${encodeURIComponent('楼道灯')}&cursor=${street.nextCursor}`, tok('street'));
    expect(next.body).toMatchObject({ items: [{ id: ids.lamp1 }], total: null });
    // Wildcards typed are plain characters.
    expect(await search('staff', '100%_')).toMatchObject({ items: [{ id: ids.pipe }], total: 1 });
    expect(await search('staff', '%')).toMatchObject({ items: [{ id: ids.pipe }], total: 1 });
    expect(await search('staff', '_')).toMatchObject({ total: 1 });
    // Filters still apply beside the search.
    expect(await search('staff', '楼道灯', '&state=resolved')).toMatchObject({ items: [{ id: ids.lamp1 }], total: 1 });
    // Without a search, the total is every line of the scope.
    expect((await search('staff', '')).total).toBe(3);
  });

  it('finds wishes by the beneficiary\'s phone (as typed) through its keyed hash, and shows no phone', async () => {
    const a = await search('staff', '13812341234');
    expect(a.total).toBe(2);
    expect(a.items.map((i) => i.id)).toEqual([ids.lamp2, ids.lamp1]);
    expect(JSON.stringify(a)).not.toMatch(/13812341234|王秀兰/);
    expect(await search('street', '138-1234-1234')).toMatchObject({ total: 3 });
    expect(await search('street', '+86 139 0000 1111')).toMatchObject({ items: [{ id: ids.pipe }], total: 1 });
    expect(await search('street', '13800000000')).toMatchObject({ items: [], total: 0 });
    // The number is not kept anywhere in clear: the search reads the hash column, never the sealed one.
    const stored: { beneficiary_phone: string }[] = await t.database.dataSource.query(`SELECT beneficiary_phone FROM wish WHERE id = ?`, [ids.pipe]);
    expect(stored[0].beneficiary_phone).not.toContain('1390000');
  });

  it('leaves the total out (null) when counting takes longer than its budget (MariaDB), and still gives the page', async () => {
    const repo = t.app.get(LedgerRepository);
    // SQLite has no statement budget (nor SLEEP): it always counts, which suits the small deployments it serves.
    if (!t.database.isSqlite) expect(await repo.count({ sql: 'SLEEP(0.01) = 0', params: [] }, {}, t.clock.now(), 1)).toBeNull();
    expect(await repo.count({ sql: '1 = 1', params: [] }, { search: { kind: 'title', text: '楼道灯' } }, t.clock.now(), 5_000)).toBe(3);
    LEDGER_TUNING.countBudgetMs = 1;
    try {
      expect((await search('street', '楼道灯')).items.map((i) => i.id)).toEqual([ids.lampB, ids.lamp2]);
    } finally {
      LEDGER_TUNING.countBudgetMs = 250;
    }
  });

  it('refuses a search that is too long, and keeps the ledger closed to those without one', async () => {
    const r = await t.http.get(`/api/ledger/wishes?q=${'灯'.repeat(101)}`, tok('staff'));
    expect([r.status, r.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    const m = await t.http.get(`/api/ledger/wishes?q=13812341234`, tok('member'));
    expect([m.status, m.body.code]).toEqual([403, 'FORBIDDEN']);
  });

  it('counts in a member\'s record the wishes they fulfilled that month, not those only claimed or completed', async () => {
    const r = await t.http.get(`/api/members/${w.users.member}/records?month=2026-11`, tok('staff'));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ userId: w.users.member, name: '党员张', month: '2026-11', workUnit: '市教育局', fulfilled: 1, rated: 1, satisfied: 1 });
    expect(r.body.items).toEqual([expect.objectContaining({ wishId: ids.lamp1, title: '楼道灯坏了', rating: 'satisfied', communityName: expect.any(String) })]);
    expect(Date.parse(r.body.items[0].claimedAt)).toBeLessThan(Date.parse(r.body.items[0].completedAt));
    // Another month is empty.
    expect((await t.http.get(`/api/members/${w.users.member}/records?month=2026-10`, tok('member'))).body).toMatchObject({ fulfilled: 0, items: [] });
    // The member reads their own.
    expect((await t.http.get(`/api/members/${w.users.member}/records?month=2026-11`, tok('member'))).body).toMatchObject({ fulfilled: 1 });
  });

  it('lets only the member and their community\'s committee read the record (404 for anyone else)', async () => {
    for (const k of ['staffB', 'member2', 'resident', 'street', 'city', 'grid'] as const) {
      const r = await t.http.get(`/api/members/${w.users.member}/records?month=2026-11`, tok(k));
      expect([k, r.status, r.body.code]).toEqual([k, 404, 'MEMBER_NOT_FOUND']);
    }
    expect((await t.http.get(`/api/members/${w.users.memberB}/records?month=2026-11`, tok('staffB'))).body).toMatchObject({ fulfilled: 1, satisfied: 1, workUnit: '区税务局' });
    for (const month of ['2026-13', '2026-1', 'x', '']) {
      const r = await t.http.get(`/api/members/${w.users.member}/records?month=${month}`, tok('member'));
      expect([month, r.status, r.body.code]).toEqual([month, 400, 'VALIDATION_FAILED']);
    }
  });

  it('exports the record as CSV for the work unit', async () => {
    const r = await t.http.get(`/api/members/${w.users.member}/records.csv?month=2026-11`, tok('staff'));
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/text\/csv/);
    expect(r.headers.get('content-disposition')).toContain(encodeURIComponent('党员服务记录-202611'));
    const rows = parseCsv(String(r.body));
    expect(rows.slice(0, 6)).toEqual([['党员服务记录（双报到）'], ['姓名', '党员张'], ['工作单位', '市教育局'], ['月份', '2026-11'], ['办结心愿', '1'], ['评价', '1', '其中满意/基本满意', '1']]);
    expect(rows[7]).toEqual(['心愿编号', '标题', '社区', '认领时间', '完成时间', '办结时间', '评价']);
    expect(rows[8][1]).toBe('楼道灯坏了');
    expect(rows[8][6]).toBe('满意');
    expect(rows.length).toBe(9);
    expect((await t.http.get(`/api/members/${w.users.member}/records.csv?month=2026-11`, tok('staffB'))).status).toBe(404);
  });

  it('exports the same rows as an Excel workbook (WeChat opens xlsx)', async () => {
    const res = await fetch(`${t.baseUrl}/api/members/${w.users.member}/records.xlsx?month=2026-11`, { headers: { authorization: `Bearer ${tok('member')}` } });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
    const sheet = wb.getWorksheet('服务记录')!;
    expect(sheet.getRow(2).values).toEqual([undefined, '姓名', '党员张']);
    expect(sheet.getRow(9).getCell(2).value).toBe('楼道灯坏了');
    expect(sheet.rowCount).toBe(9);
  });
});
