import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro, { __taro } from '../../test/stubs/taro';
import { err, mockApi } from '../../test/api-mock';
import { detail, summary } from '../../test/fixtures';
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
    render(<Timeline events={[...t, { id: 3, type: 'release', fromState: 'claimed', toState: 'open', fromTier: 1, toTier: 1, actorName: '张伟', actorRole: 'member', reason: '临时出差', at: t[1].at }]} />);
    expect(screen.getByText('王秀兰（居民）')).toBeTruthy();
    expect(screen.getByText(/提交了心愿/)).toBeTruthy();
    expect(screen.getByText(/审核通过，心愿已发布/)).toBeTruthy();
    expect(screen.getByText('原因：临时出差')).toBeTruthy();
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
  const ok = { ...EMPTY_DRAFT, communityId: 5, compoundId: 9, category: 'repair' as const, title: '楼道灯坏了', description: '晚上看不见', beneficiaryName: '王秀兰', beneficiaryPhone: '138 9700 1111', address: '2号楼3单元402', agreed: true, photos: [{ id: 'p1', url: '/u' }] };

  it('asks for everything a wish needs, and for the consent method on behalf of someone', () => {
    expect(validateDraft(ok, false, true)).toEqual({});
    expect(Object.keys(validateDraft(EMPTY_DRAFT, false, true)).sort()).toEqual(['address', 'agreed', 'beneficiaryName', 'beneficiaryPhone', 'category', 'communityId', 'compoundId', 'description', 'title']);
    expect(validateDraft(ok, true, true)).toEqual({ consentMethod: '请选择受助人同意的方式' });
  });

  it('builds the request the server expects', () => {
    expect(toRequest(ok, false)).toEqual({ communityId: 5, compoundId: 9, category: 'repair', title: '楼道灯坏了', description: '晚上看不见', beneficiaryName: '王秀兰', beneficiaryPhone: '13897001111', address: '2号楼3单元402', photoIds: ['p1'] });
    expect(toRequest({ ...ok, consentMethod: 'verbal', photos: [] }, true)).toMatchObject({ consentMethod: 'verbal' });
    expect(toRequest({ ...ok, consentMethod: 'verbal' }, false)).not.toHaveProperty('consentMethod');
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
    expect(post.data).toEqual({ communityId: 5, compoundId: 9, category: 'repair', title: '楼道灯坏了', description: '晚上看不见', beneficiaryName: '王秀兰', beneficiaryPhone: '13897001111', address: '2号楼3单元402', photoIds: ['photo-1'] });
    expect(__taro.storage.has('k')).toBe(false);
  });

  it('keeps the draft when the network is lost, and says so', async () => {
    __taro.storage.set('k', { ...EMPTY_DRAFT, communityId: 5, compoundId: 9, category: 'repair', title: '楼道灯坏了', description: '晚上看不见', beneficiaryName: '王秀兰', beneficiaryPhone: '13897001111', address: '2号楼', agreed: true });
    mockApi({ 'GET /orgs': compounds, 'POST /wishes': new Error('request:fail') });
    render(<WishForm onBehalf={false} draftKey="k" communities={[{ id: 5, name: '北小街社区' }]} onSubmitted={jest.fn()} />);
    expect(await screen.findByText('已恢复上次未提交的草稿。')).toBeTruthy();
    fireEvent.click(await screen.findByText('提交心愿'));
    expect(await screen.findByText('网络不给力，请检查网络后重试（已为您保存草稿，网络恢复后再提交即可）')).toBeTruthy();
    expect(__taro.storage.get('k')).toMatchObject({ title: '楼道灯坏了' });
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
  });

  it('shows a server refusal in Chinese by its code', async () => {
    __taro.storage.set('k', { ...EMPTY_DRAFT, communityId: 5, compoundId: 9, category: 'repair', title: '楼道灯坏了', description: 'x', beneficiaryName: '王', beneficiaryPhone: '13897001111', address: '2号楼', agreed: true });
    mockApi({ 'GET /orgs': compounds, 'POST /wishes': err(403, 'CONSENT_REQUIRED', 'consent required') });
    render(<WishForm onBehalf={false} draftKey="k" communities={[{ id: 5, name: '北小街社区' }]} onSubmitted={jest.fn()} />);
    fireEvent.click(await screen.findByText('提交心愿'));
    expect(await screen.findByText('请先阅读并同意隐私保护指引')).toBeTruthy();
  });
});
