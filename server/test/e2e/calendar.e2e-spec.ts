// The working calendar for any year: statutory holidays by law where the package has
// no data, the State Council's notice imported by a city admin, next year's warning.
// Every expected date and deadline is typed by hand (class B, tier 1: a claim window of
// one working day, 9 hours of 09:00–18:00; see default-policy.ts).
import { FakeClock } from '../../src/common/clock';
import { createTestApp, type TestApp } from '../create-test-app';
import { buildWorld, type World } from '../factories/world';
import { NOTICE_2027 } from '../fixtures/holiday-notice';
import { localMinute } from '../../src/common/time';
import { bj } from '../support';

/** Beijing wall time. */
const fmt = localMinute;

describe('the working calendar for any year', () => {
  let t: TestApp;
  let w: World;
  const tok = (id: number) => t.tokenFor(id);
  const city = () => tok(w.users.city);

  /** Submits and approves a wish of community A (class B) at a Beijing time; its claim window's end. */
  async function approveAt(at: string): Promise<string> {
    t.clock.set(bj(at));
    const r = await t.http.post(
      '/api/wishes',
      { communityId: w.communityA, category: 'repair', title: '楼道灯坏了', description: '请帮忙修一下', beneficiaryName: '王秀兰', beneficiaryPhone: '13812341234', address: '3号楼501', forSelf: true },
      tok(w.users.resident),
    );
    expect(r.status).toBe(201);
    const a = await t.http.post(`/api/wishes/${r.body.id}/approve`, {}, tok(w.users.staff));
    expect(a.status).toBe(200);
    const row = (await t.database.dataSource.query('SELECT window_ends_at FROM wish WHERE id = ?', [r.body.id]))[0];
    expect(a.body.windowEndsAt).toBe(t.database.readTime(row.window_ends_at)!.toISOString());
    return fmt(t.database.readTime(row.window_ends_at)!);
  }
  const yearOf = async (year: number) => (await t.http.get(`/api/dispatch/calendar?year=${year}`, city())).body as { day: string; kind: string; note: string | null; source: string }[];

  beforeAll(async () => {
    t = await createTestApp({}, { clock: new FakeClock(bj('2026-10-31T12:00').getTime()) });
    w = await buildWorld(t.database, t.clock.now());
  });
  afterAll(() => t.close());

  it('warns from 1 November (Beijing date) while next year has no arrangement, not before', async () => {
    t.clock.set(bj('2026-10-31T23:59'));
    const before = await t.http.get('/api/dispatch/calendar/status', tok(w.users.staff));
    expect(before.status).toBe(200);
    expect(before.body).toEqual({ today: '2026-10-31', nextYear: 2027, nextYearArrangement: null, packageYears: { min: 2004, max: 2026 }, warning: null });
    // 00:30 on 1 November in Beijing is still 31 October in UTC.
    t.clock.set(bj('2026-11-01T00:30'));
    const after = (await t.http.get('/api/dispatch/calendar/status', city())).body;
    expect(after).toMatchObject({ today: '2026-11-01', nextYear: 2027, nextYearArrangement: null });
    expect(after.warning).toContain('2027 年的放假调休安排还没有录入');
  });

  it("counts 2027's statutory holidays by law: a window from 2026-12-31 17:00 ends on Mon 2027-01-04 17:00", async () => {
    // Thu 17:00–18:00 is one hour; Fri 2027-01-01 is 元旦 by law, then the weekend; 8 hours on Monday.
    expect(await approveAt('2026-12-31T17:00')).toBe('2027-01-04 17:00');
    const y = await yearOf(2027);
    expect(y.filter((d) => d.source === 'law').map((d) => `${d.day} ${d.note}`)).toEqual([
      '2027-01-01 元旦', '2027-02-05 春节', '2027-02-06 春节', '2027-02-07 春节', '2027-02-08 春节', '2027-04-05 清明节',
      '2027-05-01 劳动节', '2027-05-02 劳动节', '2027-06-09 端午节', '2027-09-15 中秋节', '2027-10-01 国庆节', '2027-10-02 国庆节', '2027-10-03 国庆节',
    ]);
    expect(y.every((d) => d.kind === 'holiday')).toBe(true);
    // 2028 as well: 除夕 Tue 01-25, 中秋 with 国庆 on 10-03.
    const y28 = await yearOf(2028);
    expect(y28.find((d) => d.day === '2028-01-25')).toEqual({ day: '2028-01-25', kind: 'holiday', note: '春节', source: 'law' });
    expect(y28.find((d) => d.day === '2028-10-03')).toEqual({ day: '2028-10-03', kind: 'holiday', note: '国庆节、中秋节', source: 'law' });
  });

  it("keeps the package's answer for the years it has (2026's make-up working days)", async () => {
    const y = await yearOf(2026);
    expect(y.find((d) => d.day === '2026-02-14')).toEqual({ day: '2026-02-14', kind: 'workday', note: '春节调休上班', source: 'package' });
    expect(y.find((d) => d.day === '2026-10-10')).toMatchObject({ kind: 'workday', source: 'package' });
    expect(y.some((d) => d.source === 'law')).toBe(false);
  });

  it('refuses a notice with nothing understood, or with a missing or inconsistent year (and saves nothing)', async () => {
    const parse = (body: object, token = city()) => t.http.post('/api/dispatch/calendar/notice/parse', body, token);
    const none = await parse({ text: '国务院办公厅关于2027年部分节假日安排的通知\n请各单位遵照执行。' });
    expect([none.status, none.body.code]).toEqual([422, 'CALENDAR_NOTICE_UNREADABLE']);
    const noYear = await parse({ text: '一、元旦：1月1日（周五）至3日（周日）放假，共3天。' });
    expect([noYear.status, noYear.body.code]).toEqual([422, 'CALENDAR_NOTICE_YEAR']);
    const twoYears = await parse({ text: NOTICE_2027, year: 2028 });
    expect([twoYears.status, twoYears.body.code]).toEqual([422, 'CALENDAR_NOTICE_YEAR']);
    // Weekdays of 2027 under a 2028 title: the year is wrong.
    const wrongYear = await parse({ text: NOTICE_2027.replace('关于2027年', '关于2028年').replace('现将2027年', '现将2028年') });
    expect([wrongYear.status, wrongYear.body.code]).toEqual([422, 'CALENDAR_NOTICE_YEAR']);
    expect((await parse({ text: NOTICE_2027 }, tok(w.users.staff))).status).toBe(403);
    expect((await yearOf(2027)).some((d) => d.source === 'admin')).toBe(false);
  });

  it('shows what it understood of a notice that partly parses, with the law it contradicts, and saves nothing', async () => {
    const text = `国务院办公厅关于2027年部分节假日安排的通知
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：从除夕开始放假，2月5日前后，具体另行通知。
七、国庆节：10月2日（周六）至7日（周四）放假调休，共6天。10月1日（周五）上班。`;
    const r = await t.http.post('/api/dispatch/calendar/notice/parse', { text }, city());
    expect(r.status).toBe(200);
    expect(r.body.year).toBe(2027);
    expect(r.body.unparsed).toEqual(['从除夕开始放假，2月5日前后，具体另行通知']);
    expect(r.body.days.map((d: any) => d.day)).toEqual(['2027-01-01', '2027-01-02', '2027-01-03', '2027-10-01', '2027-10-02', '2027-10-03', '2027-10-04', '2027-10-05', '2027-10-06', '2027-10-07']);
    expect(r.body.warnings).toEqual([
      '2027-10-01 是法定节假日（国庆节），设为上班日与《全国年节及纪念日放假办法》不符',
      '法定节假日 2027-02-05（春节）不在通知的放假日期中，请核对',
      '法定节假日 2027-02-06（春节）不在通知的放假日期中，请核对',
      '法定节假日 2027-02-07（春节）不在通知的放假日期中，请核对',
      '法定节假日 2027-02-08（春节）不在通知的放假日期中，请核对',
      '法定节假日 2027-04-05（清明节）不在通知的放假日期中，请核对',
      '法定节假日 2027-05-01（劳动节）不在通知的放假日期中，请核对',
      '法定节假日 2027-05-02（劳动节）不在通知的放假日期中，请核对',
      '法定节假日 2027-06-09（端午节）不在通知的放假日期中，请核对',
      '法定节假日 2027-09-15（中秋节）不在通知的放假日期中，请核对',
    ]);
    expect((await yearOf(2027)).some((d) => d.source === 'admin')).toBe(false);
  });

  it('warns on a single day that contradicts the law, and saves it', async () => {
    const put = await t.http.request('PUT', '/api/dispatch/calendar/2027-10-01', { token: city(), body: { kind: 'workday', note: '测试' } });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ day: '2027-10-01', kind: 'workday', note: '测试', source: 'admin', warnings: ['2027-10-01 是法定节假日（国庆节），设为上班日与《全国年节及纪念日放假办法》不符'] });
    const ok = await t.http.request('PUT', '/api/dispatch/calendar/2027-10-08', { token: city(), body: { kind: 'holiday', note: '国庆节' } });
    expect(ok.body.warnings).toEqual([]);
    for (const d of ['2027-10-01', '2027-10-08']) expect((await t.http.request('DELETE', `/api/dispatch/calendar/${d}`, { token: city() })).status).toBe(200);
    expect((await yearOf(2027)).find((d) => d.day === '2027-10-01')).toEqual({ day: '2027-10-01', kind: 'holiday', note: '国庆节', source: 'law' });
  });

  it('imports a notice: parse, review, save; the calendar says admin and deadlines move', async () => {
    // Before: Fri 2027-02-12 is a working day by law (only 除夕 to 初三, 02-05..08, are statutory):
    // 17:00–18:00 on Friday, then 8 hours on Mon 02-15.
    expect(await approveAt('2027-02-12T17:00')).toBe('2027-02-15 17:00');

    const parsed = await t.http.post('/api/dispatch/calendar/notice/parse', { text: NOTICE_2027 }, city());
    expect(parsed.status).toBe(200);
    expect([parsed.body.year, parsed.body.unparsed, parsed.body.warnings, parsed.body.days.length]).toEqual([2027, [], [], 34]);
    expect(parsed.body.days.filter((d: any) => d.kind === 'workday').map((d: any) => d.day)).toEqual(['2027-02-14', '2027-04-25', '2027-05-08', '2027-09-26', '2027-10-09']);
    // Parsing saved nothing.
    expect((await yearOf(2027)).some((d) => d.source === 'admin')).toBe(false);

    // The admin reviews the list and drops one day (Sat 2027-10-09) before saving.
    const reviewed = parsed.body.days.filter((d: any) => d.day !== '2027-10-09');
    expect((await t.http.post('/api/dispatch/calendar/notice', { year: 2027, days: reviewed }, tok(w.users.staff))).status).toBe(403);
    const saved = await t.http.post('/api/dispatch/calendar/notice', { year: 2027, days: reviewed }, city());
    expect(saved.status).toBe(200);
    expect([saved.body.year, saved.body.saved, saved.body.warnings]).toEqual([2027, 33, []]);
    const y = await yearOf(2027);
    expect(saved.body.calendar).toEqual(y);
    expect(y.find((d) => d.day === '2027-02-14')).toEqual({ day: '2027-02-14', kind: 'workday', note: '春节调休上班', source: 'admin' });
    expect(y.find((d) => d.day === '2027-02-12')).toEqual({ day: '2027-02-12', kind: 'holiday', note: '春节', source: 'admin' });
    expect(y.find((d) => d.day === '2027-10-09')).toBeUndefined(); // dropped at review: a plain Saturday
    expect(y.filter((d) => d.source === 'admin')).toHaveLength(33);

    // After: Fri 02-12 and Sat 02-13 are off, Sun 02-14 is a make-up working day, 09:00–18:00.
    expect(await approveAt('2027-02-12T17:00')).toBe('2027-02-14 18:00');

    // Next year now has an arrangement: no warning.
    t.clock.set(bj('2026-11-20T09:00'));
    expect((await t.http.get('/api/dispatch/calendar/status', city())).body).toMatchObject({ nextYear: 2027, nextYearArrangement: 'admin', warning: null });
  });

  it('lets two admins save the same days at once (both answered, the later write stands; found by the fuzz suite on MariaDB)', async () => {
    const days = [{ day: '2027-12-31', kind: 'holiday', holiday: '元旦' }];
    const both = await Promise.all([1, 2, 3, 4].map(() => t.http.post('/api/dispatch/calendar/notice', { year: 2028, days }, city())));
    expect(both.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const single = await Promise.all(['holiday', 'workday'].map((kind) => t.http.request('PUT', '/api/dispatch/calendar/2027-12-30', { token: city(), body: { kind } })));
    expect(single.map((r) => r.status)).toEqual([200, 200]);
    const rows = await t.database.dataSource.query(`SELECT day FROM calendar_day WHERE day IN ('2027-12-30', '2027-12-31')`);
    expect(rows).toHaveLength(2);
  });

  it('refuses a reviewed day outside the notice year', async () => {
    const r = await t.http.post('/api/dispatch/calendar/notice', { year: 2027, days: [{ day: '2028-06-01', kind: 'holiday', holiday: '端午节' }] }, city());
    expect([r.status, r.body.code]).toEqual([422, 'CALENDAR_NOTICE_YEAR']);
    const twice = await t.http.post('/api/dispatch/calendar/notice', { year: 2027, days: [{ day: '2027-06-09', kind: 'holiday', holiday: '端午节' }, { day: '2027-06-09', kind: 'workday', holiday: '端午节' }] }, city());
    expect([twice.status, twice.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  });
});
