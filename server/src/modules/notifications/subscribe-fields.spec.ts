import { NOTICE_KINDS } from '../../config/config';
import { clip, inboxText, subscribeData, SUBSCRIBE_LAYOUTS } from './notice-content';
import { beijingDay, beijingMinute, cutField, FIELD_LIMITS } from './subscribe-fields';

const len = (s: string) => Array.from(s).length;

describe('cutField', () => {
  it('keeps a thing of 20 characters and cuts a longer one to 20, ending in …', () => {
    const twenty = '为独居老人更换楼道里的声控灯泡并检查线路安全';
    expect(len(twenty)).toBe(22);
    expect(cutField('thing', twenty.slice(0, 20))).toBe(twenty.slice(0, 20));
    const cut = cutField('thing', twenty);
    expect(len(cut)).toBe(FIELD_LIMITS.thing);
    expect(cut).toBe(twenty.slice(0, 19) + '…');
  });

  it('counts characters, not UTF-16 units: emoji are one each and never split', () => {
    const emoji = '😀'.repeat(25);
    expect(emoji.length).toBe(50);
    const cut = cutField('thing', emoji);
    expect(len(cut)).toBe(20);
    expect(cut).toBe('😀'.repeat(19) + '…');
    // 20 emoji are 40 UTF-16 units but 20 characters: kept whole.
    expect(cutField('thing', '😀'.repeat(20))).toBe('😀'.repeat(20));
  });

  it('makes a thing one line and never empty', () => {
    expect(cutField('thing', '  楼道灯\n坏了\t请修  ')).toBe('楼道灯 坏了 请修');
    expect(cutField('thing', '   ')).toBe('-');
  });

  it('keeps at most 5 Chinese characters of a phrase, no mark, nothing else', () => {
    expect(cutField('phrase', '已认领')).toBe('已认领');
    expect(cutField('phrase', '第2级待认领了')).toBe('第级待认领');
    expect(cutField('phrase', '有诉必应马上办')).toBe('有诉必应马');
    expect(cutField('phrase', 'ok')).toBe('无');
    expect(len(cutField('phrase', '𠀀𠀁𠀂𠀃𠀄𠀅'))).toBe(5);
  });

  it('keeps at most 32 printable ASCII characters of a character_string', () => {
    expect(cutField('character_string', 'XY20261127000042')).toBe('XY20261127000042');
    const long = 'A'.repeat(40);
    expect(cutField('character_string', long)).toBe('A'.repeat(32));
    expect(cutField('character_string', '编号 XY-1')).toBe('XY-1');
    expect(cutField('character_string', '编号')).toBe('-');
  });

  it('writes a time as YYYY-MM-DD HH:mm in Beijing time', () => {
    expect(cutField('time', new Date('2026-11-27T17:30:59Z'))).toBe('2026-11-28 01:30');
    expect(cutField('time', '2026-01-31T16:00:00.000Z')).toBe('2026-02-01 00:00');
    expect(() => cutField('time', 'yesterday')).toThrow(RangeError);
    expect(beijingMinute(new Date('2026-12-31T23:59:00Z'))).toBe('2027-01-01 07:59');
    expect(beijingDay(new Date('2026-12-31T15:59:59Z'))).toBe('2026-12-31');
    expect(beijingDay(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
  });
});

describe('notice content', () => {
  const payload = { wishNo: 'XY20261127000042', title: '楼道灯坏了，老人晚上上下楼很不方便，希望有人帮忙修一下', tier: 2 };
  const at = new Date('2026-11-27T02:05:00Z');

  it('fills every field of every kind within WeChat limits', () => {
    for (const kind of NOTICE_KINDS) {
      const data = subscribeData({ kind, payload, at });
      expect(Object.keys(data)).toEqual(SUBSCRIBE_LAYOUTS[kind].map((f) => f.key));
      for (const [key, { value }] of Object.entries(data)) {
        expect(value).not.toBe('');
        if (key.startsWith('thing')) expect(len(value)).toBeLessThanOrEqual(20);
        if (key.startsWith('phrase')) expect(value).toMatch(/^\p{Script=Han}{1,5}$/u);
        if (key.startsWith('character_string')) expect(value).toMatch(/^[\x21-\x7e]{1,32}$/);
        if (key.startsWith('time')) expect(value).toBe('2026-11-27 10:05');
      }
    }
  });

  it('says where an escalated wish went', () => {
    expect(subscribeData({ kind: 'escalated', payload, at })).toEqual({
      thing1: { value: '楼道灯坏了，老人晚上上下楼很不方便，希…' },
      character_string2: { value: 'XY20261127000042' },
      phrase3: { value: '第二级' },
      thing4: { value: '已转至基层组织有效办，请及时认领' },
      time5: { value: '2026-11-27 10:05' },
    });
    expect(inboxText('escalated', payload)).toEqual({
      title: '心愿升级',
      body: `心愿「${payload.title}」（编号XY20261127000042）已转至第2级（基层组织有效办），请及时认领。`,
    });
    // At tier 1 nothing has escalated: the wish is new (or back in the pool).
    expect(inboxText('escalated', { ...payload, tier: 1 })).toEqual({
      title: '心愿待认领',
      body: `心愿「${payload.title}」（编号XY20261127000042）在第1级（在职党员尽力办）等待认领，请及时认领。`,
    });
    expect(subscribeData({ kind: 'escalated', payload: { ...payload, tier: 1 }, at }).thing4).toEqual({ value: '在职党员尽力办，请及时认领' });
  });

  it('writes the inbox line of each kind, with the note, cut to the columns', () => {
    expect(inboxText('claimed', payload).body).toContain('已被认领');
    expect(inboxText('completed', payload).body).toContain('已办结，请确认并评价');
    expect(inboxText('overdue', payload).body).toContain('已超过办理时限');
    expect(inboxText('supervised', { ...payload, note: '街道未响应' }).body).toMatch(/已列入督办。说明：街道未响应$/);
    const long = inboxText('claimed', { ...payload, title: '长'.repeat(80), note: '注'.repeat(400) });
    expect(len(long.body)).toBe(400);
    expect(long.body.endsWith('…')).toBe(true);
    expect(clip('短', 5)).toBe('短');
  });
});
