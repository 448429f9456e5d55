import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro, { __taro } from '../../test/stubs/taro';
import { err, mockApi } from '../../test/api-mock';
import { detail, event, summary } from '../../test/fixtures';
import { KEYS } from '../services/storage';
import { setLargeText } from '../stores/settings';
import { StateGate } from './StateView';
import Screen from './Screen';
import Timeline from './Timeline';
import WishCard from './WishCard';
import WishForm, { EMPTY_DRAFT, toRequest, validateDraft } from './WishForm';
import '../stores/session';

describe('WishCard', () => {
  it('shows masked personal data as the server sent it, with the tier and a note', () => {
    render(<WishCard wish={summary()} />);
    expect(screen.getByText('楼道灯不亮')).toBeTruthy();
    expect(screen.getByText(/王\* · 138\*\*\*\*1111/)).toBeTruthy();
    expect(screen.getByText('一级')).toBeTruthy();
    expect(screen.getByText('（已隐去个人信息）')).toBeTruthy();
  });
});

describe('Timeline', () => {
  it('tells each step in plain Chinese, with the reason when there is one', () => {
    const t = detail().timeline;
    render(<Timeline events={[...t, event({ id: 3, type: 'release', fromState: 'claimed', toState: 'open', actorName: '张伟', actorRole: 'member', reason: '临时出差', at: t[1].at })]} />);
    expect(screen.getByText('王秀兰（居民）')).toBeTruthy();
    expect(screen.getByText(/提交了心愿/)).toBeTruthy();
    expect(screen.getByText(/审核通过，心愿已发布/)).toBeTruthy();
    expect(screen.getByText('原因：临时出差')).toBeTruthy();
  });

  it('without names (a reader who may not see them) tells the organisation and the role, and how the resident consented', () => {
    render(
      <Timeline
        events={[
          event({ id: 1, type: 'submit', fromState: null, toState: 'pending_review', fromTier: null, actorRole: 'grid_worker', actorOrg: '北小街社区', consentMethod: 'verbal' }),
          event({ id: 2, type: 'claim', toTier: 3, fromTier: 3, actorRole: 'unit_admin', actorOrg: '市供电公司' }),
        ]}
      />,
    );
    expect(screen.getByText('北小街社区 · 网格员')).toBeTruthy();
    expect(screen.getByText('市供电公司 · 联点单位')).toBeTruthy();
    expect(screen.getByText('受助人口头同意')).toBeTruthy();
  });
});

describe('StateGate', () => {
  it('shows loading, then the error with a retry, then empty, then the content', () => {
    const retry = jest.fn();
    const { rerender } = render(<StateGate loading error={null}>x</StateGate>);
    expect(screen.getByText('正在加载…')).toBeTruthy();
    rerender(<StateGate loading={false} error="网络不给力" onRetry={retry}>x</StateGate>);
    fireEvent.click(screen.getByText('重新加载'));
    expect(retry).toHaveBeenCalled();
    rerender(<StateGate loading={false} error={null} empty emptyText="还没有心愿">x</StateGate>);
    expect(screen.getByText('还没有心愿')).toBeTruthy();
    rerender(<StateGate loading={false} error={null}>内容</StateGate>);
    expect(screen.getByText('内容')).toBeTruthy();
  });
});

describe('Screen (large-text mode)', () => {
  it('switches every page to large type and touch targets', () => {
    const { container } = render(<Screen>x</Screen>);
    expect(container.firstElementChild!.className).toBe('xy-page');
    act(() => setLargeText(true));
    expect(container.firstElementChild!.className).toBe('xy-page xy-page--large');
    expect(__taro.storage.get(KEYS.largeText)).toBe(true);
    act(() => setLargeText(false));
  });
});

describe('WishForm rules', () => {
  const ok = { ...EMPTY_DRAFT, communityId: 5, compoundId: 9, category: 'repair' as const, title: '楼道灯坏了', description: '晚上看不见', beneficiaryName: '王秀兰', beneficiaryPhone: '138 9700 1111', address: '2号楼3单元402', forWhom: 'self' as const, agreed: true, photos: [{ id: 'p1', url: '/u' }] };

  it('asks for everything a wish needs; a resident says for whom, and for someone else how they consented', () => {
    expect(validateDraft(ok, false, true)).toEqual({});
    expect(Object.keys(validateDraft(EMPTY_DRAFT, false, true)).sort()).toEqual(['address', 'agreed', 'beneficiaryName', 'beneficiaryPhone', 'category', 'communityId', 'compoundId', 'description', 'forWhom', 'title']);
    expect(validateDraft({ ...ok, forWhom: null }, false, true)).toEqual({ forWhom: '请选择为谁提交' });
    expect(validateDraft({ ...ok, forWhom: 'other' }, false, true)).toEqual({ consentMethod: '请选择受助人同意的方式' });
    expect(validateDraft({ ...ok, forWhom: 'other', consentMethod: 'written' }, false, true)).toEqual({});
  });

  it('on behalf (community staff): always a consent method, never "for whom", and the phone may be left out', () => {
    const staff = { ...ok, forWhom: null };
    expect(validateDraft(staff, true, true)).toEqual({ consentMethod: '请选择受助人同意的方式' });
    expect(validateDraft({ ...staff, consentMethod: 'verbal', beneficiaryPhone: '' }, true, true)).toEqual({});
    expect(validateDraft({ ...staff, consentMethod: 'verbal', beneficiaryPhone: '12345' }, true, true)).toEqual({ beneficiaryPhone: '请填写11位手机号，或带区号的固定电话' });
    // The resident's own form still needs a phone.
    expect(validateDraft({ ...ok, beneficiaryPhone: '' }, false, true)).toEqual({ beneficiaryPhone: '请填写联系电话' });
  });

  it('builds the request the server expects: forSelf, or the consent method, never both', () => {
    expect(toRequest(ok, false)).toEqual({ communityId: 5, compoundId: 9, category: 'repair', title: '楼道灯坏了', description: '晚上看不见', beneficiaryName: '王秀兰', beneficiaryPhone: '13897001111', address: '2号楼3单元402', photoIds: ['p1'], forSelf: true });
    expect(toRequest({ ...ok, forWhom: 'other', consentMethod: 'written' }, false)).toMatchObject({ consentMethod: 'written' });
    expect(toRequest({ ...ok, forWhom: 'other', consentMethod: 'written' }, false)).not.toHaveProperty('forSelf');
    // A leftover consent method of a draft switched back to 本人 is not sent.
    expect(toRequest({ ...ok, consentMethod: 'verbal' }, false)).not.toHaveProperty('consentMethod');
    const staff = toRequest({ ...ok, forWhom: null, consentMethod: 'verbal', beneficiaryPhone: ' ', photos: [] }, true);
    expect(staff).toMatchObject({ consentMethod: 'verbal' });
    expect(staff).not.toHaveProperty('forSelf');
    expect(staff).not.toHaveProperty('beneficiaryPhone');
  });
});

function fill(label: string, value: string) {
  const field = screen.getByText(label).closest('.xy-field')!;
  fireEvent.change(field.querySelector('input, textarea')!, { target: { value } });
}

describe('WishForm', () => {
  const compounds = { body: [{ id: 9, kind: 'compound', name: '康乐小区', parentId: 5, communityClass: null }] };

  it('shows what is missing in red and sends nothing', async () => {
    const calls = mockApi({ 'GET /orgs': compounds });
    render(<WishForm onBehalf={false} draftKey="k" communities={[{ id: 5, name: '北小街社区' }]} onSubmitted={jest.fn()} />);
    await screen.findByText('康乐小区');
    fireEvent.click(screen.getByText('提交心愿'));
    expect(screen.getByText('还有内容没填好，请看红色提示')).toBeTruthy();
    expect(screen.getByText('请选择心愿类别')).toBeTruthy();
    expect(screen.getByText('请填写标题')).toBeTruthy();
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);
  });

  it('submits a filled-in wish with its photo, then forgets the draft', async () => {
    (Taro.chooseMedia as jest.Mock).mockResolvedValue({ tempFiles: [{ tempFilePath: 'tmp/a.jpg' }] });
    const calls = mockApi({
      'GET /orgs': compounds,
      'UPLOAD /photos': { status: 201, body: { id: 'photo-1', url: '/api/photos/photo-1/content', mime: 'image/jpeg', size: 9 } },
      'POST /wishes': { status: 201, body: detail({ state: 'pending_review' }) },
    });
    const onSubmitted = jest.fn();
    render(<WishForm onBehalf={false} draftKey="k" communities={[{ id: 5, name: '北小街社区' }]} defaultName="王秀兰" onSubmitted={onSubmitted} />);
    fireEvent.click(await screen.findByText('康乐小区'));
    fireEvent.click(screen.getByText('维修改造'));
    fireEvent.click(screen.getByText('本人'));
    fill('心愿标题', '楼道灯坏了');
    fill('具体情况', '晚上看不见');
    fill('联系电话', '13897001111');
    fill('楼栋门牌', '2号楼3单元402');
    fireEvent.click(screen.getByText('添加照片'));
    await screen.findByText('✓ 已上传');
    fireEvent.click(screen.getByText(/我已阅读并同意/));
    fireEvent.click(screen.getByText('提交心愿'));
    await waitFor(() => expect(onSubmitted).toHaveBeenCalled());
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post.data).toEqual({ communityId: 5, compoundId: 9, category: 'repair', title: '楼道灯坏了', description: '晚上看不见', beneficiaryName: '王秀兰', beneficiaryPhone: '13897001111', address: '2号楼3单元402', photoIds: ['photo-1'], forSelf: true });
    expect(__taro.storage.has('k')).toBe(false);
  });

  it('never sends a wish without a photo that failed: the count leaves it out and the button says why it waits', async () => {
    __taro.storage.set('k', { ...EMPTY_DRAFT, communityId: 5, compoundId: 9, category: 'repair', title: '楼道灯坏了', description: '晚上看不见', beneficiaryName: '王秀兰', beneficiaryPhone: '13897001111', address: '2号楼', forWhom: 'self', agreed: true });
    (Taro.chooseMedia as jest.Mock).mockResolvedValue({ tempFiles: [{ tempFilePath: 'tmp/a.jpg' }] });
    let fails = true;
    const calls = mockApi({
      'GET /orgs': compounds,
      'UPLOAD /photos': () => (fails ? err(500, 'INTERNAL') : { status: 201, body: { id: 'photo-1', url: '/api/photos/photo-1/content', mime: 'image/jpeg', size: 9 } }),
      'POST /wishes': { status: 201, body: detail({ state: 'pending_review' }) },
    });
    const onSubmitted = jest.fn();
    render(<WishForm onBehalf={false} draftKey="k" communities={[{ id: 5, name: '北小街社区' }]} onSubmitted={onSubmitted} />);
    fireEvent.click(await screen.findByText('添加照片'));
    await screen.findByText('重试');
    expect(screen.getByText('可选，最多6张（将提交0张，1张未上传成功）')).toBeTruthy();
    expect(screen.getByText('有1张照片没有上传成功，请点照片上的“重试”或“移除”')).toBeTruthy();
    fireEvent.click(screen.getByText('有照片未上传成功'));
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);
    fails = false;
    fireEvent.click(screen.getByText('重试'));
    await screen.findByText('✓ 已上传');
    expect(screen.getByText('可选，最多6张（将提交1张）')).toBeTruthy();
    fireEvent.click(screen.getByText('提交心愿'));
    await waitFor(() => expect(onSubmitted).toHaveBeenCalled());
    expect(calls.find((c) => c.method === 'POST')!.data).toMatchObject({ photoIds: ['photo-1'] });
  });

  it('says a draft was restored only when something was typed in it', async () => {
    // The form itself chose the only community and kept it: nothing typed, no banner.
    __taro.storage.set('k', { ...EMPTY_DRAFT, communityId: 5, beneficiaryName: '王秀兰' });
    mockApi({ 'GET /orgs': compounds });
    const first = render(<WishForm onBehalf={false} draftKey="k" communities={[{ id: 5, name: '北小街社区' }]} defaultName="王秀兰" onSubmitted={jest.fn()} />);
    await screen.findByText('康乐小区');
    expect(screen.queryByText('已恢复上次未提交的草稿。')).toBeNull();
    first.unmount();
    __taro.storage.set('k', { ...EMPTY_DRAFT, communityId: 5, beneficiaryName: '王秀兰', title: '楼道灯' });
    render(<WishForm onBehalf={false} draftKey="k" communities={[{ id: 5, name: '北小街社区' }]} defaultName="王秀兰" onSubmitted={jest.fn()} />);
    expect(await screen.findByText('已恢复上次未提交的草稿。')).toBeTruthy();
  });

  const filled = { ...EMPTY_DRAFT, communityId: 5, compoundId: 9, category: 'repair' as const, title: '楼道灯坏了', description: '晚上看不见', beneficiaryName: '王秀兰', beneficiaryPhone: '13897001111', address: '2号楼', forWhom: 'self' as const, agreed: true };

  it('keeps the draft and its key when no answer comes, and says it cannot yet tell whether it was submitted', async () => {
    jest.useFakeTimers();
    __taro.storage.set('k', filled);
    const calls = mockApi({ 'GET /orgs': compounds, 'POST /wishes': new Error('request:fail') });
    render(<WishForm onBehalf={false} draftKey="k" communities={[{ id: 5, name: '北小街社区' }]} onSubmitted={jest.fn()} />);
    expect(await screen.findByText('已恢复上次未提交的草稿。')).toBeTruthy();
    fireEvent.click(await screen.findByText('提交心愿'));
    expect(await screen.findByText('网络不稳定，正在确认是否已提交…')).toBeTruthy();
    await act(() => jest.advanceTimersByTimeAsync(8000));
    expect(await screen.findByText(/网络不稳定，暂时无法确认心愿是否已提交。草稿已保存/)).toBeTruthy();
    const posts = calls.filter((c) => c.method === 'POST');
    // The first try and three more, all with the one key of this draft; the key is kept with the draft.
    expect(posts).toHaveLength(4);
    expect(new Set(posts.map((c) => c.key)).size).toBe(1);
    expect(__taro.storage.get('k')).toMatchObject({ title: '楼道灯坏了', pendingSubmit: { key: posts[0].key } });
    jest.useRealTimers();
  });

  it('a reply lost after the server saved the wish: asks again with the same key and shows the saved wish, never a second one', async () => {
    jest.useFakeTimers();
    __taro.storage.set('k', filled);
    const saved = new Map<string, unknown>();
    let made = 0;
    const calls = mockApi({
      'GET /orgs': compounds,
      'POST /wishes': (c) => {
        const first = !saved.has(c.key!);
        if (first) saved.set(c.key!, detail({ id: 100 + ++made, state: 'pending_review' }));
        // The server kept the wish, but this reply never reaches the phone.
        if (first) return new Error('request:fail');
        return { status: 201, body: saved.get(c.key!) };
      },
    });
    const onSubmitted = jest.fn();
    render(<WishForm onBehalf={false} draftKey="k" communities={[{ id: 5, name: '北小街社区' }]} onSubmitted={onSubmitted} />);
    fireEvent.click(await screen.findByText('提交心愿'));
    expect(await screen.findByText('网络不稳定，正在确认是否已提交…')).toBeTruthy();
    await act(() => jest.advanceTimersByTimeAsync(1500));
    await waitFor(() => expect(onSubmitted).toHaveBeenCalledTimes(1));
    expect(onSubmitted.mock.calls[0][0]).toMatchObject({ id: 101 });
    expect(made).toBe(1);
    const posts = calls.filter((c) => c.method === 'POST');
    expect(posts).toHaveLength(2);
    expect(posts[1].key).toBe(posts[0].key);
    expect(__taro.storage.has('k')).toBe(false);
    jest.useRealTimers();
  });

  it('a new draft gets a new key; a resubmission of the same draft after a lost reply (app reopened) reuses its key', async () => {
    __taro.storage.set('k', { ...filled, pendingSubmit: { key: 'kept-key-123456', bodies: [] } });
    const calls = mockApi({ 'GET /orgs': compounds, 'POST /wishes': { status: 201, body: detail({ state: 'pending_review' }) } });
    const done = jest.fn();
    const view = render(<WishForm onBehalf={false} draftKey="k" communities={[{ id: 5, name: '北小街社区' }]} onSubmitted={done} />);
    fireEvent.click(await screen.findByText('提交心愿'));
    await waitFor(() => expect(done).toHaveBeenCalled());
    expect(calls.filter((c) => c.method === 'POST')[0].key).toBe('kept-key-123456');
    view.unmount();
    __taro.storage.set('k', filled);
    render(<WishForm onBehalf={false} draftKey="k" communities={[{ id: 5, name: '北小街社区' }]} onSubmitted={done} />);
    fireEvent.click(await screen.findByText('提交心愿'));
    await waitFor(() => expect(done).toHaveBeenCalledTimes(2));
    const second = calls.filter((c) => c.method === 'POST')[1].key!;
    expect(second).not.toBe('kept-key-123456');
    expect(second).toMatch(/^[A-Za-z0-9._:-]{8,100}$/);
  });

  it('when the server saved the wish but lost its answer for good, says it was submitted and ends the draft', async () => {
    __taro.storage.set('k', { ...filled, pendingSubmit: { key: 'kept-key-123456', bodies: [] } });
    mockApi({ 'GET /orgs': compounds, 'POST /wishes': err(409, 'IDEMPOTENCY_OUTCOME_UNKNOWN') });
    render(<WishForm onBehalf={false} draftKey="k" communities={[{ id: 5, name: '北小街社区' }]} onSubmitted={jest.fn()} />);
    fireEvent.click(await screen.findByText('提交心愿'));
    expect(await screen.findByText('您的心愿已经提交，请到“我的心愿”查看。')).toBeTruthy();
    expect(__taro.storage.has('k')).toBe(false);
  });

  it('sends the voice note recorded with the draft as voiceNoteId', async () => {
    __taro.storage.set('k', { ...filled, voiceNote: { id: 'voice-1', mime: 'audio/mpeg', size: 4000, url: '/api/photos/voice-1/content', durationMs: 9000 } });
    const calls = mockApi({ 'GET /orgs': compounds, 'POST /wishes': { status: 201, body: detail({ state: 'pending_review' }) } });
    const done = jest.fn();
    render(<WishForm onBehalf={false} draftKey="k" communities={[{ id: 5, name: '北小街社区' }]} onSubmitted={done} />);
    expect(await screen.findByText('▶ 播放语音 0:09')).toBeTruthy();
    fireEvent.click(screen.getByText('提交心愿'));
    await waitFor(() => expect(done).toHaveBeenCalled());
    expect(calls.find((c) => c.method === 'POST')!.data).toMatchObject({ voiceNoteId: 'voice-1' });
  });

  it('a resident filing for someone else picks 他人, names them, and says how they consented', async () => {
    const calls = mockApi({ 'GET /orgs': compounds, 'POST /wishes': { status: 201, body: detail({ onBehalf: true }) } });
    const done = jest.fn();
    __taro.storage.set('k', { ...EMPTY_DRAFT, communityId: 5, compoundId: 9, category: 'elderly_care', title: '帮母亲理发', description: '行动不便', beneficiaryPhone: '13897001111', address: '1号楼', agreed: true });
    render(<WishForm onBehalf={false} draftKey="k" communities={[{ id: 5, name: '北小街社区' }]} defaultName="王秀兰" onSubmitted={done} />);
    fireEvent.click(await screen.findByText('提交心愿'));
    expect(screen.getByText('请选择为谁提交')).toBeTruthy();
    fireEvent.click(screen.getByText('他人（需征得本人同意）'));
    expect(screen.getByText('受助人')).toBeTruthy();
    fill('姓名', '李桂英');
    fireEvent.click(screen.getByText('提交心愿'));
    expect(screen.getByText('请选择受助人同意的方式')).toBeTruthy();
    fireEvent.click(screen.getByText('书面签字'));
    fireEvent.click(screen.getByText('提交心愿'));
    await waitFor(() => expect(done).toHaveBeenCalled());
    const body = calls.find((c) => c.method === 'POST')!.data as Record<string, unknown>;
    expect(body).toMatchObject({ beneficiaryName: '李桂英', consentMethod: 'written' });
    expect(body).not.toHaveProperty('forSelf');
  });

  it('on behalf of a resident, sends how the person consented', async () => {
    __taro.storage.set('g', { ...EMPTY_DRAFT, communityId: 5, compoundId: 9, category: 'elderly_care', title: '帮忙理发', description: '行动不便', beneficiaryName: '马奶奶', beneficiaryPhone: '0971-8123456', address: '1号楼', agreed: true });
    const calls = mockApi({ 'GET /orgs': compounds, 'POST /wishes': { status: 201, body: detail({ onBehalf: true }) } });
    const done = jest.fn();
    render(<WishForm onBehalf draftKey="g" communities={[{ id: 5, name: '北小街社区' }]} onSubmitted={done} />);
    fireEvent.click(await screen.findByText('提交心愿'));
    expect(screen.getByText('请选择受助人同意的方式')).toBeTruthy();
    fireEvent.click(screen.getByText('口头同意'));
    fireEvent.click(screen.getByText('提交心愿'));
    await waitFor(() => expect(done).toHaveBeenCalled());
    expect(calls.find((c) => c.method === 'POST')!.data).toMatchObject({ beneficiaryName: '马奶奶', beneficiaryPhone: '0971-8123456', consentMethod: 'verbal' });
    expect(screen.queryByText('为谁提交')).toBeNull();
  });

  it('on behalf of a resident without a phone, sends no phone at all', async () => {
    __taro.storage.set('g', { ...EMPTY_DRAFT, communityId: 5, compoundId: 9, category: 'elderly_care', title: '帮忙理发', description: '行动不便', beneficiaryName: '马奶奶', beneficiaryPhone: '', address: '1号楼', consentMethod: 'guardian', agreed: true });
    const calls = mockApi({ 'GET /orgs': compounds, 'POST /wishes': { status: 201, body: detail({ onBehalf: true }) } });
    const done = jest.fn();
    render(<WishForm onBehalf draftKey="g" communities={[{ id: 5, name: '北小街社区' }]} onSubmitted={done} />);
    expect(await screen.findByText('居民没有电话可不填')).toBeTruthy();
    fireEvent.click(screen.getByText('提交心愿'));
    await waitFor(() => expect(done).toHaveBeenCalled());
    const body = calls.find((c) => c.method === 'POST')!.data as Record<string, unknown>;
    expect(body).toMatchObject({ beneficiaryName: '马奶奶', consentMethod: 'guardian' });
    expect(body).not.toHaveProperty('beneficiaryPhone');
  });

  it('shows a server refusal in Chinese by its code', async () => {
    __taro.storage.set('k', { ...EMPTY_DRAFT, communityId: 5, compoundId: 9, category: 'repair', title: '楼道灯坏了', description: 'x', beneficiaryName: '王', beneficiaryPhone: '13897001111', address: '2号楼', forWhom: 'self', agreed: true });
    mockApi({ 'GET /orgs': compounds, 'POST /wishes': err(403, 'CONSENT_REQUIRED', 'consent required') });
    render(<WishForm onBehalf={false} draftKey="k" communities={[{ id: 5, name: '北小街社区' }]} onSubmitted={jest.fn()} />);
    fireEvent.click(await screen.findByText('提交心愿'));
    expect(await screen.findByText('请先阅读并同意隐私保护指引')).toBeTruthy();
  });
});
