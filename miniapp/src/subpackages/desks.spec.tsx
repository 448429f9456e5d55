// The desks of a paired unit and of the street, the one-tap calls, the share card and the
// committee's office phone (issue 15). Expected texts typed by hand from the issue and DOMAIN.md.
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro, { __taro } from '../../test/stubs/taro';
import { mockApi } from '../../test/api-mock';
import { answerDialog } from '../../test/dialog';
import { detail, person, summary } from '../../test/fixtures';
import { session } from '../stores/session';
import DeskList, { deskLines, DeskScreen } from '../components/DeskList';
import WishList from '../components/WishList';
import { wishesApi } from '../services/wishes';
import CallButtons from '../components/CallButtons';
import { WishDetailView } from '../pages/wish/detail/index';
import { shareCard, SHARE_IMAGE } from '../utils/share';
import { officePhoneInput, OfficePhones } from './committee/pages/office-phone/index';

const page = (items: unknown[]) => ({ body: { items, nextCursor: null } });
const queued = (over: Record<string, unknown> = {}) =>
  summary({ id: 21, title: '路灯不亮', tier: 3, communityName: '城南新村社区', publishedAt: '2026-11-24T02:00:00.000Z', actions: ['claim'], ...over });

describe('the unit desk', () => {
  it('lists what waits at tier 3 with community, waiting since and deadline, and claims with one tap and a confirmation', async () => {
    const calls = mockApi({
      'GET /wishes/desk/queue': page([{ ...queued(), windowEndsAt: '2026-11-26T02:00:00.000Z', dueAt: null, supervisedAt: null, overdue: false }]),
      'POST /wishes/21/claim': { body: detail({ id: 21, state: 'claimed', actions: ['complete', 'release', 'assign'] }) },
    });
    render(<DeskList desk="unit" />);
    expect(await screen.findByText('社区：城南新村社区')).toBeTruthy();
    expect(screen.getByText(/^等待认领自 /)).toBeTruthy();
    expect(screen.getByText(/^本级认领截止 /)).toBeTruthy();
    expect(calls[0].query).toEqual({ desk: 'unit' });
    expect(Array.from(document.querySelectorAll('[role="tab"]')).map((t) => t.textContent)).toEqual(['待认领', '办理中', '待确认', '已办结', '全部']);

    fireEvent.click(screen.getByText('认领“路灯不亮”'));
    const text = await answerDialog('确认认领', '确认认领');
    expect(text).toContain('路灯不亮');
    await waitFor(() => expect(calls.some((c) => c.method === 'POST' && c.path === '/wishes/21/claim')).toBe(true));
    await waitFor(() => expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/wish/detail/index?id=21' }));
  });

  it('shows its history by state, and says when a list is empty', async () => {
    const calls = mockApi({ 'GET /wishes/desk/queue': page([]), 'GET /wishes/desk/handled': page([]) });
    render(<DeskList desk="unit" />);
    expect(await screen.findByText('暂时没有等待认领的心愿')).toBeTruthy();
    fireEvent.click(screen.getByText('已办结'));
    expect(await screen.findByText('还没有办结的心愿')).toBeTruthy();
    expect(calls.at(-1)!.query).toEqual({ desk: 'unit', state: 'resolved' });
  });

  it('marks an overdue claim and a supervised wish', () => {
    const lines = (o: Record<string, unknown>) => deskLines({ ...summary(), ...o } as never);
    expect(lines({ state: 'claimed', dueAt: '2026-11-26T02:00:00.000Z', overdue: true }).find((l) => l.alert)!.text).toMatch(/^办理期限 .*（已超时）$/);
    expect(lines({ state: 'open', tier: 4, supervisedAt: '2026-11-26T06:30:00.000Z' }).find((l) => l.alert)!.text).toBe('已列入督办');
  });
});

describe('the wish list', () => {
  it('sends the tab’s state and nothing of the tab itself (the server refuses unknown query fields)', async () => {
    const calls = mockApi({ 'GET /wishes/mine': page([]) });
    render(<WishList tabs={[{ key: 'all', label: '全部' }, { key: 'claimed', label: '办理中' }]} fetchPage={(q) => wishesApi.mine(q)} emptyText="空" />);
    await screen.findByText('空');
    fireEvent.click(screen.getByText('办理中'));
    await waitFor(() => expect(calls).toHaveLength(2));
    expect(calls.map((c) => c.query)).toEqual([{}, { state: 'claimed' }]);
  });
});

describe('who may open a desk', () => {
  it('a desk page tells those who do not hold it, and asks the server nothing', async () => {
    session.set({ status: 'ready', me: person('member'), error: null });
    const calls = mockApi({});
    render(<DeskScreen desk="unit" intro="联点单位" notHeld="您不是联点单位的工作人员" />);
    expect(await screen.findByText('您不是联点单位的工作人员')).toBeTruthy();
    expect(calls.filter((c) => c.path.startsWith('/wishes'))).toEqual([]);
  });

  it('the street desk page lists the street’s queue for a street handler', async () => {
    session.set({ status: 'ready', me: person('street'), error: null });
    const calls = mockApi({ 'GET /wishes/desk/queue': page([]) });
    render(<DeskScreen desk="street" intro="马上办" notHeld="不是" />);
    expect(await screen.findByText('暂时没有等待认领的心愿')).toBeTruthy();
    expect(calls.find((c) => c.path === '/wishes/desk/queue')!.query).toEqual({ desk: 'street' });
  });
});

describe('the street desk', () => {
  it('has the red list (督办) as a tab of its own', async () => {
    const calls = mockApi({ 'GET /wishes/desk/queue': page([]), 'GET /wishes/supervised': page([queued({ id: 30, tier: 4, title: '地下车库积水', actions: ['claim'] })]) });
    render(<DeskList desk="street" />);
    await screen.findByText('暂时没有等待认领的心愿');
    fireEvent.click(screen.getByText('督办'));
    expect(await screen.findByText('地下车库积水')).toBeTruthy();
    expect(calls.at(-1)!.path).toBe('/wishes/supervised');
    expect(screen.getByText('认领“地下车库积水”')).toBeTruthy();
  });
});

describe('one-tap calls', () => {
  it('the active claimant calls the beneficiary; everyone calls the community office', () => {
    render(<CallButtons w={{ officePhone: '0971-8215678', callBeneficiary: true, beneficiary: { name: '王秀兰', phone: '13897001111', address: '2号楼' } }} />);
    expect(screen.getByText('联系心愿人').closest('[data-tel]')!.getAttribute('data-tel')).toBe('13897001111');
    fireEvent.click(screen.getByText('联系心愿人'));
    expect(Taro.makePhoneCall).toHaveBeenLastCalledWith({ phoneNumber: '13897001111' });
    fireEvent.click(screen.getByText('联系社区（0971-8215678）'));
    expect(Taro.makePhoneCall).toHaveBeenLastCalledWith({ phoneNumber: '0971-8215678' });
  });

  it('nobody else gets 联系心愿人, and nothing shows when there is nobody to call', () => {
    const { container, rerender } = render(<CallButtons w={{ officePhone: '0971-8215678', callBeneficiary: false, beneficiary: { name: '王秀兰', phone: '13897001111', address: '2号楼' } }} />);
    expect(screen.queryByText(/联系心愿人/)).toBeNull();
    expect(screen.getByText('联系社区（0971-8215678）')).toBeTruthy();
    rerender(<CallButtons w={{ officePhone: null, callBeneficiary: false, beneficiary: { name: '王*', phone: '138****1111', address: '2号楼' } }} />);
    expect(container.textContent).toBe('');
  });

  it('the detail page shows them, and the assign move opens the desk’s assign form', async () => {
    mockApi({ 'GET /wishes/7': { body: detail({ state: 'claimed', masked: false, beneficiary: { name: '王秀兰', phone: '13897001111', address: '2号楼' }, callBeneficiary: true, officePhone: '0971-8215678', actions: ['complete', 'assign', 'release'] }) } });
    render(<WishDetailView id={7} />);
    expect(await screen.findByText('联系心愿人')).toBeTruthy();
    fireEvent.click(screen.getByText('指派办理人'));
    expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: '/subpackages/committee/pages/wish/index?id=7' });
  });
});

describe('the share card', () => {
  it('is the wall’s view of an open wish: title and community, a fixed picture, the detail page', () => {
    expect(shareCard({ id: 9, title: '帮忙搬运旧家具', communityName: '北小街社区', shareable: true })).toEqual({ title: '微心愿：帮忙搬运旧家具（北小街社区）', path: '/pages/wish/detail/index?id=9', imageUrl: SHARE_IMAGE });
    expect(shareCard({ id: 9, title: '需要陪同透析', communityName: '北小街社区', shareable: false })).toBeNull();
  });

  it('the detail page shares an open wish and never a sensitive or closed one', async () => {
    mockApi({ 'GET /wishes/9': { body: detail({ id: 9, title: '帮忙搬运旧家具', shareable: true, masked: false, beneficiary: { name: '王秀兰', phone: '13897001111', address: '2号楼' } }) } });
    const { unmount } = render(<WishDetailView id={9} />);
    await screen.findByText('帮忙搬运旧家具');
    const card = __taro.share() as { title: string; path: string };
    expect(card.path).toBe('/pages/wish/detail/index?id=9');
    expect(JSON.stringify(card)).not.toMatch(/王秀兰|13897001111/);
    unmount();
    mockApi({ 'GET /wishes/10': { body: detail({ id: 10, title: '需要陪同透析', category: 'health', shareable: false }) } });
    render(<WishDetailView id={10} />);
    await screen.findByText('需要陪同透析');
    expect((__taro.share() as { path: string }).path).toBe('/pages/wall/index');
  });
});

describe("the committee's office phone", () => {
  it('accepts a landline with area code or a mobile number; empty clears it', () => {
    expect(officePhoneInput(' 0971-8215678 ')).toEqual({ phone: '0971-8215678', error: null });
    expect(officePhoneInput('13897001111')).toEqual({ phone: '13897001111', error: null });
    expect(officePhoneInput('')).toEqual({ phone: null, error: null });
    expect(officePhoneInput('8215678').error).toContain('区号');
  });

  it('saves what was typed, and refuses a wrong number before sending it', async () => {
    const calls = mockApi({
      'GET /orgs/office-phones': { body: [{ communityId: 5, communityName: '北小街社区', officePhone: null }] },
      'PUT /orgs/5/office-phone': (c) => ({ body: { communityId: 5, communityName: '北小街社区', officePhone: (c.data as { officePhone: string }).officePhone } }),
    });
    render(<OfficePhones />);
    const box = (await screen.findByLabelText(/北小街社区办公电话/)) as HTMLInputElement;
    fireEvent.input(box, { target: { value: '12345' } });
    fireEvent.click(screen.getByText('保存'));
    expect(await screen.findByText(/请填写带区号的固定电话/)).toBeTruthy();
    expect(calls.filter((c) => c.method === 'PUT')).toHaveLength(0);
    fireEvent.input(box, { target: { value: '0971-8215678' } });
    fireEvent.click(screen.getByText('保存'));
    await waitFor(() => expect(calls.filter((c) => c.method === 'PUT').map((c) => c.data)).toEqual([{ officePhone: '0971-8215678' }]));
  });
});
