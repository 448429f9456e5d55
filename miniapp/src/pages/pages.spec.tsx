import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro, { __taro } from '../../test/stubs/taro';
import { err, mockApi } from '../../test/api-mock';
import { answerDialog } from '../../test/dialog';
import { abilities, detail, event, me, ORGS, person, summary } from '../../test/fixtures';
import { KEYS } from '../services/storage';
import { session } from '../stores/session';
import { LoginPicker, tilesFor } from './index/index';
import Home from './index/index';
import { WishDetailView } from './wish/detail/index';
import { Wall } from './wall/index';
import { CompleteForm } from './wish/complete/index';
import { Inbox } from '../subpackages/me/pages/inbox/index';
import { LargeTextSetting } from '../subpackages/me/pages/settings/index';
import { settings } from '../stores/settings';

const labels = () => Array.from(document.querySelectorAll('.xy-detail__actions button')).map((b) => b.textContent);

describe('wish detail', () => {
  it('shows exactly the moves the server lists for this reader', async () => {
    mockApi({ 'GET /wishes/7': { body: detail({ actions: ['claim'] }) } });
    render(<WishDetailView id={7} />);
    await screen.findByText('楼道灯不亮');
    expect(labels()).toEqual(['我来认领']);
    expect(screen.getByText('为保护隐私，部分信息已隐去；认领后可看到完整信息。')).toBeTruthy();
  });

  it('a wish whose contact details were erased says so, offers no call and no "claim to see more"', async () => {
    mockApi({ 'GET /wishes/7': { body: detail({ contactErased: true, masked: false, beneficiary: { name: '已注销用户', phone: '', address: '康乐小区 详细地址已删除' } }) } });
    render(<WishDetailView id={7} />);
    await screen.findByText('楼道灯不亮');
    expect(screen.getByText('电话：联系方式已删除，如需联系请找社区')).toBeTruthy();
    expect(screen.queryByText(/未留电话/)).toBeNull();
    expect(screen.queryByText(/认领后可看到完整信息/)).toBeNull();
  });

  it("plays the wish's voice note, with its length", async () => {
    mockApi({ 'GET /wishes/7': { body: detail({ voiceNote: { id: 'v-1', mime: 'audio/mpeg', size: 4000, url: '/api/photos/v-1/content?exp=1&sig=s', durationMs: 42_000 } }) } });
    render(<WishDetailView id={7} />);
    fireEvent.click(await screen.findByText('▶ 播放语音 0:42'));
    expect(Taro.createInnerAudioContext).toHaveBeenCalled();
  });

  it('shows no buttons when the reader may do nothing', async () => {
    mockApi({ 'GET /wishes/7': { body: detail({ actions: [] }) } });
    render(<WishDetailView id={7} />);
    await screen.findByText('楼道灯不亮');
    expect(labels()).toEqual([]);
  });

  it('claims after a confirmation, then shows the full contact data', async () => {
    const calls = mockApi({
      'GET /wishes/7': { body: detail({ actions: ['claim'] }) },
      'POST /wishes/7/claim': { body: detail({ state: 'claimed', masked: false, beneficiary: { name: '王秀兰', phone: '13897001111', address: '2号楼3单元402' }, actions: ['release', 'complete'], claimant: { id: 2, name: '张伟' } }) },
    });
    render(<WishDetailView id={7} />);
    fireEvent.click(await screen.findByText('我来认领'));
    await answerDialog('确认认领', '确认认领');
    await screen.findByText('13897001111');
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual(['/wishes/7/claim']);
    expect(labels()).toEqual(['办理完成，上传照片', '放弃认领']);
  });

  it('does not claim when the member says no', async () => {
    const calls = mockApi({ 'GET /wishes/7': { body: detail({ actions: ['claim'] }) } });
    render(<WishDetailView id={7} />);
    fireEvent.click(await screen.findByText('我来认领'));
    await answerDialog('确认认领', '再想想');
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    await act(async () => undefined);
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);
  });

  it('someone else claimed first: says so in Chinese and shows the wish as it is now', async () => {
    let claimed = false;
    mockApi({
      'GET /wishes/7': () => ({ body: detail(claimed ? { state: 'claimed', actions: [] } : { actions: ['claim'] }) }),
      'POST /wishes/7/claim': () => {
        claimed = true;
        return err(409, 'WISH_ALREADY_CLAIMED');
      },
    });
    render(<WishDetailView id={7} />);
    fireEvent.click(await screen.findByText('我来认领'));
    await answerDialog('确认认领', '确认认领');
    expect(await screen.findByText('手慢了，该心愿已被他人认领')).toBeTruthy();
    await waitFor(() => expect(labels()).toEqual([]));
    expect(screen.getByText('办理中')).toBeTruthy();
  });

  it('someone else claimed first and the wish is theirs now (404 for this member): says so and offers nothing more', async () => {
    const calls = mockApi({
      'GET /wishes/7': { body: detail({ actions: ['claim'] }) },
      'POST /wishes/7/claim': () => err(404, 'WISH_NOT_FOUND'),
    });
    render(<WishDetailView id={7} />);
    fireEvent.click(await screen.findByText('我来认领'));
    await answerDialog('确认认领', '确认认领');
    expect(await screen.findByText('手慢了，该心愿已被他人认领')).toBeTruthy();
    await waitFor(() => expect(labels()).toEqual([]));
    expect(calls.filter((c) => c.method === 'GET')).toHaveLength(1);
  });

  it('the resident confirms with a rating', async () => {
    const calls = mockApi({
      'GET /wishes/7': { body: detail({ state: 'awaiting_confirmation', actions: ['confirm', 'dispute'], proof: { note: '已更换声控灯', photos: [], completedAt: '2026-11-21T02:00:00.000Z' } }) },
      'POST /wishes/7/confirm': { body: detail({ state: 'resolved', rating: 'satisfied', ratingComment: '谢谢', actions: [] }) },
    });
    render(<WishDetailView id={7} />);
    expect(await screen.findByText('已更换声控灯')).toBeTruthy();
    fireEvent.click(screen.getByText('确认办结并评价'));
    fireEvent.click(screen.getByText('提交评价'));
    expect(screen.getByText('请选择您是否满意')).toBeTruthy();
    fireEvent.click(screen.getByText('满意'));
    fireEvent.change(screen.getByText('想说的话').closest('.xy-field')!.querySelector('textarea')!, { target: { value: '谢谢' } });
    fireEvent.click(screen.getByText('提交评价'));
    await screen.findByText('已办结');
    expect(calls.find((c) => c.method === 'POST')!.data).toEqual({ rating: 'satisfied', comment: '谢谢' });
  });

  it('a dispute needs a reason', async () => {
    const calls = mockApi({
      'GET /wishes/7': { body: detail({ state: 'awaiting_confirmation', actions: ['confirm', 'dispute'] }) },
      'POST /wishes/7/dispute': { body: detail({ state: 'claimed', actions: [] }) },
    });
    render(<WishDetailView id={7} />);
    fireEvent.click(await screen.findByText('还没办好，退回'));
    fireEvent.click(screen.getByText('退回继续办理'));
    expect(screen.getByText('请填写原因')).toBeTruthy();
    fireEvent.change(document.querySelector('.xy-detail__panel textarea')!, { target: { value: '灯还是不亮' } });
    fireEvent.click(screen.getByText('退回继续办理'));
    await waitFor(() => expect(calls.some((c) => c.path === '/wishes/7/dispute')).toBe(true));
    expect(calls.find((c) => c.method === 'POST')!.data).toEqual({ reason: '灯还是不亮' });
  });

  it('the committee taking a claim back must say why (the server lists release among reasonRequired)', async () => {
    const calls = mockApi({
      'GET /wishes/7': { body: detail({ state: 'claimed', actions: ['release', 'cancel'], reasonRequired: ['release', 'cancel'] }) },
      'POST /wishes/7/release': { body: detail({ state: 'open', actions: [] }) },
    });
    render(<WishDetailView id={7} />);
    fireEvent.click(await screen.findByText('收回认领'));
    fireEvent.click(screen.getByText('确认收回'));
    expect(screen.getByText('请填写原因')).toBeTruthy();
    expect(calls.filter((c) => c.method === 'POST')).toEqual([]);
    fireEvent.change(document.querySelector('.xy-detail__panel textarea')!, { target: { value: '认领人已停用' } });
    fireEvent.click(screen.getByText('确认收回'));
    await waitFor(() => expect(calls.some((c) => c.path === '/wishes/7/release')).toBe(true));
    expect(calls.find((c) => c.method === 'POST')!.data).toEqual({ reason: '认领人已停用' });
  });

  it('a member giving up their own claim may leave the reason empty', async () => {
    const calls = mockApi({
      'GET /wishes/7': { body: detail({ state: 'claimed', actions: ['complete', 'release'], reasonRequired: [] }) },
      'POST /wishes/7/release': { body: detail({ state: 'open', actions: [] }) },
    });
    render(<WishDetailView id={7} />);
    fireEvent.click(await screen.findByText('放弃认领'));
    fireEvent.click(screen.getByText('确认放弃认领'));
    await waitFor(() => expect(calls.some((c) => c.path === '/wishes/7/release')).toBe(true));
    expect(calls.find((c) => c.method === 'POST')!.data).toEqual({});
  });

  it('the committee\'s cancel (it needs a reason) goes to the desk\'s closure form, never straight to the server', async () => {
    const calls = mockApi({ 'GET /wishes/7': { body: detail({ state: 'claimed', actions: ['release', 'cancel'], reasonRequired: ['release', 'cancel'] }) } });
    render(<WishDetailView id={7} />);
    fireEvent.click(await screen.findByText('取消心愿'));
    await waitFor(() => expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/subpackages/committee/pages/wish/index?id=7' }));
    expect(calls.filter((c) => c.method === 'POST')).toEqual([]);
  });

  it('tells the uploader (and staff, who alone receive checkState) which photos WeChat has not cleared yet', async () => {
    const photo = (id: string, checkState?: 'pending' | 'passed' | 'review' | 'unchecked') => ({ id, mime: 'image/jpeg', size: 1, url: `/api/photos/${id}`, ...(checkState ? { checkState } : {}) });
    mockApi({ 'GET /wishes/7': { body: detail({ photos: [photo('a', 'pending'), photo('b', 'passed'), photo('c', 'review'), photo('d')] }) } });
    render(<WishDetailView id={7} />);
    await screen.findByText('楼道灯不亮');
    expect(Array.from(document.querySelectorAll('[data-check]')).map((e) => `${e.getAttribute('data-check')}:${e.textContent}`)).toEqual(['pending:安全检测中，他人暂不可见', 'review:待人工复核']);
  });

  it('cancel before claim asks first', async () => {
    const calls = mockApi({ 'GET /wishes/7': { body: detail({ state: 'pending_review', actions: ['cancel'] }) }, 'POST /wishes/7/cancel': { body: detail({ state: 'cancelled', actions: [] }) } });
    render(<WishDetailView id={7} />);
    fireEvent.click(await screen.findByText('取消心愿'));
    await answerDialog('取消心愿', '确定取消');
    await screen.findByText('已取消');
    expect(calls.map((c) => c.path)).toContain('/wishes/7/cancel');
  });

  it('a wish that is gone or not this reader\'s (404) says so plainly, with a way back and no retry', async () => {
    mockApi({ 'GET /wishes/7': err(404, 'WISH_NOT_FOUND') });
    render(<WishDetailView id={7} />);
    expect(await screen.findByText('心愿不存在或您无权查看')).toBeTruthy();
    expect(screen.queryByText('重新加载')).toBeNull();
    fireEvent.click(screen.getByText('返回'));
    expect(Taro.reLaunch).toHaveBeenCalledWith({ url: '/pages/index/index' });
  });

  it('other failures show the error with a retry', async () => {
    mockApi({ 'GET /wishes/7': err(500, 'INTERNAL') });
    render(<WishDetailView id={7} />);
    expect(await screen.findByText('服务暂时出了点问题，请稍后再试')).toBeTruthy();
    expect(screen.getByText('重新加载')).toBeTruthy();
  });

  it('a sensitive description the reader may not read is shown as private, and the hidden parts stay away', async () => {
    mockApi({ 'GET /wishes/7': { body: detail({ category: 'health', title: '需要陪同透析', description: null, photos: [], proof: null, rating: null, state: 'resolved', actions: [] }) } });
    render(<WishDetailView id={7} />);
    expect(await screen.findByText('（涉及个人隐私，仅提交人、社区和办理人可见）')).toBeTruthy();
    expect(screen.queryByText('办理结果')).toBeNull();
    expect(screen.queryByText('评价')).toBeNull();
  });

  it('names nobody in the timeline when the server sends no names: organisation and role', async () => {
    mockApi({
      'GET /wishes/7': { body: detail({ timeline: [event({ id: 1, type: 'submit', fromState: null, toState: 'pending_review', fromTier: null, actorRole: 'resident' }), event({ id: 2, type: 'approve', fromState: 'pending_review', toState: 'open', actorRole: 'community_admin', actorOrg: '北小街社区' })] }) },
    });
    render(<WishDetailView id={7} />);
    await screen.findByText('楼道灯不亮');
    const story = document.querySelector('.xy-timeline')!.textContent!;
    expect(story).toContain('居民 提交了心愿');
    expect(story).toContain('北小街社区 · 社区党委 审核通过，心愿已发布');
  });

  it('a wish filed for someone else is confirmed with how that person consented; the rating shows it was recorded for them', async () => {
    const calls = mockApi({
      'GET /wishes/7': { body: detail({ state: 'awaiting_confirmation', onBehalf: true, consentMethod: 'verbal', beneficiary: { name: '马奶奶', phone: '', address: '1号楼1单元102' }, masked: false, actions: ['confirm', 'dispute'] }) },
      'POST /wishes/7/confirm': { body: detail({ state: 'resolved', onBehalf: true, rating: 'satisfied', ratingOnBehalf: { consentMethod: 'verbal', recordedBy: '网格员陈静' }, actions: [] }) },
    });
    render(<WishDetailView id={7} />);
    expect(await screen.findByText('受助人（代他人提交，口头同意）')).toBeTruthy();
    expect(screen.getByText('电话：未留电话（由社区联系）')).toBeTruthy();
    fireEvent.click(screen.getByText('确认办结并评价'));
    fireEvent.click(screen.getByText('满意'));
    fireEvent.click(screen.getByText('提交评价'));
    expect(screen.getByText('请选择受助人如何同意本次确认')).toBeTruthy();
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);
    fireEvent.click(screen.getByText('口头同意'));
    fireEvent.click(screen.getByText('提交评价'));
    expect(await screen.findByText('由网格员陈静代为评价（口头同意）')).toBeTruthy();
    expect(calls.find((c) => c.method === 'POST')!.data).toEqual({ rating: 'satisfied', consentMethod: 'verbal' });
  });

  it('a wish not filed for someone else never sends a consent method when confirmed', async () => {
    const calls = mockApi({
      'GET /wishes/7': { body: detail({ state: 'awaiting_confirmation', actions: ['confirm'] }) },
      'POST /wishes/7/confirm': { body: detail({ state: 'resolved', rating: 'basically_satisfied', actions: [] }) },
    });
    render(<WishDetailView id={7} />);
    fireEvent.click(await screen.findByText('确认办结并评价'));
    expect(screen.queryByText('受助人如何同意本次确认')).toBeNull();
    fireEvent.click(screen.getByText('基本满意'));
    fireEvent.click(screen.getByText('提交评价'));
    await screen.findByText('已办结');
    expect(calls.find((c) => c.method === 'POST')!.data).toEqual({ rating: 'basically_satisfied' });
  });
});

describe('completing a wish', () => {
  // DOMAIN "complete with proof": the note is the proof; photos are optional (LIMITS.proofPhotosMin = 0), the label says so and the server agrees.
  it('needs a note; photos are optional, as the label says, and are sent when added', async () => {
    (Taro.chooseMedia as jest.Mock).mockResolvedValue({ tempFiles: [{ tempFilePath: 'tmp/proof.jpg' }] });
    const calls = mockApi({
      'UPLOAD /photos': { status: 201, body: { id: 'proof-1', url: '/p', mime: 'image/jpeg', size: 1 } },
      'POST /wishes/7/complete': { body: detail({ state: 'awaiting_confirmation' }) },
    });
    render(<CompleteForm id={7} />);
    expect(screen.getByText('可选，最多6张（将提交0张）')).toBeTruthy();
    fireEvent.click(screen.getByText('提交办理结果'));
    expect(screen.getByText('请填写办理情况')).toBeTruthy();
    fireEvent.change(document.querySelector('textarea')!, { target: { value: '已更换声控灯' } });
    fireEvent.click(screen.getByText('添加照片'));
    await screen.findByText('✓ 已上传');
    expect(screen.getByText('可选，最多6张（将提交1张）')).toBeTruthy();
    fireEvent.click(screen.getByText('提交办理结果'));
    await waitFor(() => expect(Taro.redirectTo).toHaveBeenCalledWith({ url: '/pages/wish/detail/index?id=7' }));
    expect(calls.find((c) => c.method === 'POST')!.data).toEqual({ note: '已更换声控灯', photoIds: ['proof-1'] });
  });

  it('goes without photos, but never past one that failed: retry or remove first', async () => {
    (Taro.chooseMedia as jest.Mock).mockResolvedValue({ tempFiles: [{ tempFilePath: 'tmp/proof.jpg' }] });
    const calls = mockApi({
      'UPLOAD /photos': err(500, 'INTERNAL'),
      'POST /wishes/7/complete': { body: detail({ state: 'awaiting_confirmation' }) },
    });
    render(<CompleteForm id={7} />);
    fireEvent.change(document.querySelector('textarea')!, { target: { value: '已上门陪同就医' } });
    fireEvent.click(screen.getByText('添加照片'));
    await screen.findByText('移除');
    expect(screen.getByText('可选，最多6张（将提交0张，1张未上传成功）')).toBeTruthy();
    expect(screen.getByText('有1张照片没有上传成功，请点照片上的“重试”或“移除”')).toBeTruthy();
    fireEvent.click(screen.getByText('有照片未上传成功'));
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
    fireEvent.click(screen.getByText('移除'));
    fireEvent.click(screen.getByText('提交办理结果'));
    await waitFor(() => expect(Taro.redirectTo).toHaveBeenCalled());
    expect(calls.find((c) => c.method === 'POST')!.data).toEqual({ note: '已上门陪同就医', photoIds: [] });
  });
});

describe('wish wall', () => {
  const member = person('member');

  it('lists open wishes masked, filters by category and loads more at the bottom', async () => {
    const calls = mockApi({
      'GET /wishes/wall': (c) => ({ body: c.query.cursor ? { items: [summary({ id: 9, title: '第二页的心愿' })], nextCursor: null } : { items: [summary()], nextCursor: 'n1' } }),
    });
    render(<Wall me={member} />);
    expect(await screen.findByText('楼道灯不亮')).toBeTruthy();
    expect(screen.getByText(/138\*\*\*\*1111/)).toBeTruthy();
    await act(() => __taro.fire('reachBottom'));
    expect(await screen.findByText('第二页的心愿')).toBeTruthy();
    expect(screen.getByText('没有更多了')).toBeTruthy();
    fireEvent.click(screen.getByText('助老服务'));
    await waitFor(() => expect(calls[calls.length - 1].query).toMatchObject({ communityId: '5', category: 'elderly_care' }));
    expect(screen.queryByText('医疗健康')).toBeNull();
  });

  it('offers the communities of the wall ability', async () => {
    const calls = mockApi({ 'GET /wishes/wall': { body: { items: [], nextCursor: null } } });
    const two = me({ abilities: abilities({ submit: true, wall: [ORGS.community, { orgId: 6, orgName: '城南新村社区', orgKind: 'community' }] }) });
    render(<Wall me={two} />);
    await screen.findByText('暂时没有待认领的心愿');
    fireEvent.click(screen.getByText('城南新村社区'));
    await waitFor(() => expect(calls.at(-1)!.query).toMatchObject({ communityId: '6' }));
    expect(calls[0].query).toMatchObject({ communityId: '5' });
  });

  it('pull to refresh loads the first page again', async () => {
    const calls = mockApi({ 'GET /wishes/wall': { body: { items: [], nextCursor: null } } });
    render(<Wall me={member} />);
    expect(await screen.findByText('暂时没有待认领的心愿')).toBeTruthy();
    await act(() => __taro.fire('pullDownRefresh'));
    expect(calls).toHaveLength(2);
    expect(Taro.stopPullDownRefresh).toHaveBeenCalled();
  });
});

describe('home', () => {
  // Written out by hand from DOMAIN.md ("Who sees and does what"), one line per person.
  it('offers each person exactly what the policy allows', () => {
    const tiles = (kind: Parameters<typeof person>[0]) => tilesFor(person(kind), 0).map((t) => t.label);
    expect(tiles('resident')).toEqual(['提交心愿', '我的心愿', '党员报到（双报到）', '消息', '设置']);
    expect(tiles('member')).toEqual(['心愿墙', '我的认领', '提交心愿', '我的心愿', '党员报到', '消息', '设置']);
    // Grid workers file on behalf; the wall is the members' and the committee's.
    expect(tiles('gridWorker')).toEqual(['我的办理', '代居民提交', '代提交记录', '提交心愿', '我的心愿', '消息', '设置']);
    expect(tiles('communityAdmin')).toEqual(['心愿墙', '我的认领', '代居民提交', '代提交记录', '提交心愿', '我的心愿', '消息', '设置']);
    expect(tiles('branchSecretary')).toEqual(['提交心愿', '我的心愿', '党员报到（双报到）', '消息', '设置']);
    // Desk accounts of a unit, the street and the city do not submit; a unit and the street have their desks.
    expect(tiles('unitAdmin')).toEqual(['联点单位工作台', '消息', '设置']);
    expect(tiles('street')).toEqual(['街道马上办', '消息', '设置']);
    expect(tiles('cityAdmin')).toEqual(['消息', '设置']);
    expect(tiles('districtAdmin')).toEqual(['消息', '设置']);
  });

  it('roles the policy does not honour give nothing: the abilities decide', () => {
    const unhonoured = me({ roles: [{ role: 'member', orgId: 5, orgName: '北小街社区', orgKind: 'community' }], abilities: abilities({ submit: true }) });
    expect(tilesFor(unhonoured, 0).map((t) => t.key)).not.toContain('wall');
    const twoWalls = me({ abilities: abilities({ submit: true, wall: [ORGS.community] }) });
    expect(tilesFor(twoWalls, 0).find((t) => t.key === 'wall')!.primary).toBe(true);
  });

  it('a unit admin sees its desk with the waiting count; the street its desk and the red list; nobody else a desk tile', async () => {
    session.set({ status: 'ready', me: person('unitAdmin'), error: null });
    const calls = mockApi({ 'GET /me/messages/unread-count': { body: { unread: 0 } }, 'GET /wishes/desk/counts': { body: [{ desk: 'unit', waiting: 2, active: 1, supervised: null }] } });
    const { unmount } = render(<Home />);
    expect(await screen.findByText('2件三级心愿待认领，1件办理中')).toBeTruthy();
    expect(document.querySelector('[data-tile="unit-desk"] .xy-badge')!.textContent).toBe('2');
    expect(document.querySelector('[data-tile="street-desk"]')).toBeNull();
    unmount();
    session.set({ status: 'ready', me: person('street'), error: null });
    mockApi({ 'GET /me/messages/unread-count': { body: { unread: 0 } }, 'GET /wishes/desk/counts': { body: [{ desk: 'street', waiting: 3, active: 0, supervised: 1 }] } });
    const second = render(<Home />);
    expect(await screen.findByText('3件四级心愿待认领，督办1件')).toBeTruthy();
    expect(document.querySelector('[data-tile="unit-desk"]')).toBeNull();
    second.unmount();
    // Nobody else asks for desk counts, nor sees a desk tile.
    expect(calls.filter((c) => c.path === '/wishes/desk/counts')).toHaveLength(1);
    for (const kind of ['resident', 'member', 'gridWorker', 'communityAdmin', 'branchSecretary', 'cityAdmin'] as const) {
      expect(tilesFor(person(kind), 0, [{ desk: 'unit', waiting: 1, active: 0, supervised: null }]).map((t) => t.key).filter((k) => k.endsWith('-desk'))).toEqual([]);
    }
  });

  it('the home page shows the desk entry with what it holds', async () => {
    session.set({ status: 'ready', me: person('unitAdmin', { nickname: '供电公司联络员' }), error: null });
    mockApi({ 'GET /me/messages/unread-count': { body: { unread: 0 } } });
    render(<Home />);
    expect(screen.getByText('台账')).toBeTruthy();
    expect(document.querySelector('[data-tile="submit"]')).toBeNull();
    expect(document.querySelector('[data-tile="desk"]')).not.toBeNull();
  });

  it('H5: logs in as the picked demo person', async () => {
    const calls = mockApi({ 'GET /auth/options': { body: { devLogin: true, wechat: false } }, 'POST /auth/dev-login': { body: { token: 'tk', expiresAt: '2030-01-01T00:00:00Z', user: me() } } });
    render(<LoginPicker />);
    fireEvent.click(await screen.findByText('居民 · 王秀兰'));
    await waitFor(() => expect(session.get().status).toBe('ready'));
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /auth/options', 'POST /auth/dev-login']);
    expect(calls[1].data).toEqual({ openid: 'demo-resident' });
    expect(__taro.storage.get(KEYS.token)).toBe('tk');
    // Only the token is kept: nothing logs this person in again without a pick.
    expect(__taro.storage.has(KEYS.devOpenid)).toBe(false);
  });

  it('H5: a server without the dev login (production) offers no demo people, and says to use WeChat', async () => {
    const calls = mockApi({ 'GET /auth/options': { body: { devLogin: false, wechat: true } } });
    render(<LoginPicker />);
    expect(await screen.findByText('网页版不能登录：请在微信里搜索小程序“心愿”，用微信登录后使用。')).toBeTruthy();
    expect(screen.queryByText('居民 · 王秀兰')).toBeNull();
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /auth/options']);
  });

  it('H5: the options cannot be read: an error with a retry, then the picker', async () => {
    let up = false;
    mockApi({ 'GET /auth/options': () => (up ? { body: { devLogin: true, wechat: false } } : err(503, 'SERVICE_UNAVAILABLE')) });
    render(<LoginPicker />);
    const retry = await screen.findByText('重新加载');
    expect(screen.queryByText('居民 · 王秀兰')).toBeNull();
    up = true;
    fireEvent.click(retry);
    expect(await screen.findByText('居民 · 王秀兰')).toBeTruthy();
  });

  it('H5: says in Chinese when the dev login was switched off after the page loaded', async () => {
    mockApi({ 'GET /auth/options': { body: { devLogin: true, wechat: false } }, 'POST /auth/dev-login': err(404, 'DEV_LOGIN_DISABLED') });
    render(<LoginPicker />);
    fireEvent.click(await screen.findByText('网格员 · 陈静'));
    expect(await screen.findByText('开发登录未开启')).toBeTruthy();
  });

  it('shows the privacy notice until the person agrees, and records the version', async () => {
    session.set({ status: 'ready', me: me({ consent: null, consentRequired: true }), error: null });
    const calls = mockApi({ 'GET /me/messages/unread-count': { body: { unread: 2 } }, 'POST /me/consent': { body: me() } });
    render(<Home />);
    expect(screen.getByText('隐私保护指引')).toBeTruthy();
    expect(await screen.findByText('2')).toBeTruthy();
    fireEvent.click(screen.getByText('同意并继续'));
    await waitFor(() => expect(screen.queryByText('隐私保护指引')).toBeNull());
    expect(calls.find((c) => c.path === '/me/consent')!.data).toEqual({ version: '2026-11-01' });
  });
});

describe('inbox', () => {
  it('marks a message read and opens its wish; "all read" clears the rest', async () => {
    const msg = (id: number, read: boolean) => ({ id, kind: 'claimed', title: `消息${id}`, body: '您的心愿已被认领', wishId: 7, read, readAt: null, createdAt: '2026-11-21T02:00:00.000Z' });
    const calls = mockApi({
      'GET /me/messages': { body: { items: [msg(1, false), msg(2, false), msg(3, true)], nextCursor: null } },
      'POST /me/messages/1/read': { body: msg(1, true) },
      'POST /me/messages/read-all': { body: { marked: 1 } },
    });
    render(<Inbox />);
    expect(await screen.findByText('2条未读')).toBeTruthy();
    fireEvent.click(screen.getByText('消息1'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/wish/detail/index?id=7' });
    expect(screen.getByText('1条未读')).toBeTruthy();
    fireEvent.click(screen.getByText('全部已读'));
    await waitFor(() => expect(screen.queryByText(/条未读/)).toBeNull());
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /me/messages', 'POST /me/messages/1/read', 'POST /me/messages/read-all']);
  });

  it('says so when there are no messages', async () => {
    mockApi({ 'GET /me/messages': { body: { items: [], nextCursor: null } } });
    render(<Inbox />);
    expect(await screen.findByText('还没有消息，心愿有进展时会通知您')).toBeTruthy();
  });
});

describe('settings', () => {
  it('the large-text switch turns the mode on and off and remembers it', () => {
    render(<LargeTextSetting />);
    fireEvent.click(screen.getByText('大字模式'));
    expect(settings.get().largeText).toBe(true);
    expect(__taro.storage.get(KEYS.largeText)).toBe(true);
    fireEvent.click(screen.getByText('大字模式'));
    expect(settings.get().largeText).toBe(false);
  });
});
