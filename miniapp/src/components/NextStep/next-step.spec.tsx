// The next step's expected time and 催办 on the wish detail (issue 15), as the resident reads them.
import { fireEvent, render, screen } from '@testing-library/react';
import { mockApi } from '../../../test/api-mock';
import { detail } from '../../../test/fixtures';
import { WishDetailView } from '../../pages/wish/detail/index';
import { nextStepText, urgeNote } from './index';

/** Wall time on the phone (formatTime shows the device's local time): 2026-12-22 10:00 and the like. */
const at = (month: number, day: number, hour: number) => new Date(2026, month - 1, day, hour, 0).toISOString();
const NOW = new Date(at(12, 22, 10));

describe('nextStepText', () => {
  it('says what comes next and by when, in plain Chinese', () => {
    expect(nextStepText({ nextStep: { step: 'review', tier: 1, by: null, urge: null } }, true, NOW)).toBe('下一步：社区审核，审核通过后发布等待认领');
    expect(nextStepText({ nextStep: { step: 'claim', tier: 2, by: at(12, 23, 9), urge: null } }, true, NOW)).toBe('下一步：等待社区党组织认领，预计12月23日 09:00前有人认领');
    expect(nextStepText({ nextStep: { step: 'claim', tier: 4, by: at(12, 22, 9), urge: null } }, true, NOW)).toBe("下一步：等待街道'马上办'认领，预计时间（12月22日 09:00）已过，心愿会自动转交上一级");
    expect(nextStepText({ nextStep: { step: 'fulfil', tier: 3, by: at(12, 29, 18), urge: null } }, true, NOW)).toBe('下一步：认领人办理，预计12月29日 18:00前办好');
    expect(nextStepText({ nextStep: { step: 'confirm', tier: 1, by: at(12, 29, 10), urge: null } }, true, NOW)).toBe('下一步：请您确认办理结果；12月29日 10:00前未确认将自动确认');
    expect(nextStepText({ nextStep: null }, true, NOW)).toBeNull();
  });

  it('tells the submitter when 催办 becomes possible, that it is possible, or that it was used today', () => {
    const urges = { count: 0, lastAt: null, times: [] };
    expect(urgeNote({ nextStep: { step: 'claim', tier: 1, by: at(12, 22, 18), urge: { allowed: false, from: at(12, 22, 18), urgedToday: false } }, urges }, NOW)).toBe('12月22日 18:00后仍未办理，可以催办');
    expect(urgeNote({ nextStep: { step: 'claim', tier: 2, by: null, urge: { allowed: true, from: null, urgedToday: false } }, urges }, NOW)).toBe('已过预计时间，可以催办：办理人会收到提醒（每天一次）');
    expect(urgeNote({ nextStep: { step: 'claim', tier: 2, by: null, urge: { allowed: false, from: null, urgedToday: true } }, urges }, NOW)).toBe('今天已催办，已通知办理人；明天可以再次催办');
  });
});

describe('催办 on the detail page', () => {
  it('the resident urges once the time has passed; the page then says it was done today and counts it', async () => {
    const before = detail({ nextStep: { step: 'claim', tier: 2, by: at(12, 23, 9), urge: { allowed: true, from: null, urgedToday: false } } });
    const after = detail({ nextStep: { step: 'claim', tier: 2, by: at(12, 23, 9), urge: { allowed: false, from: null, urgedToday: true } }, urges: { count: 1, lastAt: at(12, 22, 10), times: [at(12, 22, 10)] } });
    const calls = mockApi({ 'GET /wishes/7': { body: before }, 'POST /wishes/7/urge': { body: after } });
    render(<WishDetailView id={7} />);
    fireEvent.click(await screen.findByText('催办'));
    expect(await screen.findByText('今天已催办，已通知办理人；明天可以再次催办')).toBeTruthy();
    expect(screen.getByText(/已催办1次/)).toBeTruthy();
    // And beside the timeline, for everyone who reads the wish.
    expect(document.querySelector('[data-urges="1"]')!.textContent).toBe('12月22日 10:00 居民催办');
    expect(screen.queryByText('催办')).toBeNull();
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual(['/wishes/7/urge']);
  });

  it('before the time: no button, and when it will be possible', async () => {
    mockApi({ 'GET /wishes/7': { body: detail({ nextStep: { step: 'fulfil', tier: 1, by: at(12, 29, 18), urge: { allowed: false, from: at(12, 29, 18), urgedToday: false } } }) } });
    render(<WishDetailView id={7} />);
    expect(await screen.findByText(/12月29日 18:00后仍未办理，可以催办/)).toBeTruthy();
    expect(screen.queryByText('催办')).toBeNull();
  });
});
