// Issue 14 (privacy): WeChat's onNeedPrivacyAuthorization is answered after the agree
// button's agreeprivacyauthorization event, not on the tap; someone who declined can agree
// later; sensitive categories need a separate consent (PIPL Art. 29); bottom sheets clear
// the home indicator.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { mockApi } from '../../test/api-mock';
import { me } from '../../test/fixtures';
import SessionGate from '../components/SessionGate';
import WishForm, { EMPTY_DRAFT, toRequest, validateDraft, type WishDraft } from '../components/WishForm';
import { listenForPrivacyRequests } from '../services/privacy';
import { privacyUi } from '../stores/privacy';
import { session } from '../stores/session';
import SettingsPage from '../subpackages/me/pages/settings/index';
import PrivacyPage from '../subpackages/me/pages/privacy/index';
import Taro from '../../test/stubs/taro';

const AGREE_BUTTON_ID = 'xy-agree-privacy';

beforeEach(() => {
  privacyUi.set({ open: false, dismissed: false });
});
afterEach(() => {
  delete (globalThis as { wx?: unknown }).wx;
});

describe("WeChat's privacy agreement", () => {
  it('is answered from the agreeprivacyauthorization event, not from the tap', async () => {
    process.env.TARO_ENV = 'weapp';
    let need!: (resolve: (r: unknown) => void) => void;
    (globalThis as { wx?: unknown }).wx = { onNeedPrivacyAuthorization: (cb: typeof need) => (need = cb) };
    session.set({ status: 'ready', me: me({ consent: null, consentRequired: true }), error: null });
    const calls = mockApi({ 'POST /me/consent': { body: me() } });
    listenForPrivacyRequests(() => privacyUi.set({ open: true }));
    render(<SessionGate>{() => <div>page</div>}</SessionGate>);
    // chooseMedia (say) needs the agreement: WeChat hands over its resolver.
    const resolve = jest.fn();
    act(() => need(resolve));
    const button = screen.getByText('同意并继续').closest('button')!;
    expect(button.getAttribute('data-open-type')).toBe('agreePrivacyAuthorization');
    expect(button.id).toBe(AGREE_BUTTON_ID);
    fireEvent.click(button);
    expect(resolve).not.toHaveBeenCalled();
    expect(calls).toHaveLength(0);
    act(() => {
      button.dispatchEvent(new CustomEvent('agreeprivacyauthorization', { detail: { errMsg: 'agreePrivacyAuthorization:ok' } }));
    });
    expect(resolve).toHaveBeenCalledWith({ event: 'agree', buttonId: AGREE_BUTTON_ID });
    await waitFor(() => expect(screen.queryByText('隐私保护指引')).toBeNull());
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['POST /me/consent']);
  });

  it('暂不同意 answers WeChat with disagree', () => {
    process.env.TARO_ENV = 'weapp';
    let need!: (resolve: (r: unknown) => void) => void;
    (globalThis as { wx?: unknown }).wx = { onNeedPrivacyAuthorization: (cb: typeof need) => (need = cb) };
    session.set({ status: 'ready', me: me({ consent: null, consentRequired: true }), error: null });
    listenForPrivacyRequests(() => privacyUi.set({ open: true }));
    render(<SessionGate>{() => <div>page</div>}</SessionGate>);
    const resolve = jest.fn();
    act(() => need(resolve));
    fireEvent.click(screen.getByText('暂不同意'));
    expect(resolve).toHaveBeenCalledWith({ event: 'disagree' });
  });
});

describe('someone who declined can agree later', () => {
  it('at the next submit: the privacy notice comes back instead of a CONSENT_REQUIRED refusal', async () => {
    session.set({ status: 'ready', me: me({ consent: null, consentRequired: true }), error: null });
    const calls = mockApi({ 'GET /orgs': { body: [] }, 'POST /me/consent': { body: me() } });
    render(<SessionGate>{() => <WishForm onBehalf={false} draftKey="t" communities={[{ id: 5, name: '北小街社区' }]} onSubmitted={() => undefined} />}</SessionGate>);
    fireEvent.click(screen.getByText('暂不同意'));
    expect(screen.queryByText('隐私保护指引')).toBeNull();
    fireEvent.click(screen.getByText('提交心愿'));
    expect(screen.getByText('隐私保护指引')).toBeTruthy();
    expect(calls.some((c) => c.path === '/wishes')).toBe(false);
    fireEvent.click(screen.getByText('同意并继续'));
    await waitFor(() => expect(screen.queryByText('隐私保护指引')).toBeNull());
    expect(calls.find((c) => c.path === '/me/consent')!.data).toEqual({ version: '2026-11-01' });
  });

  it('from the settings page', async () => {
    session.set({ status: 'ready', me: me({ consent: null, consentRequired: true }), error: null });
    mockApi({ 'POST /me/consent': { body: me() } });
    render(<SettingsPage />);
    fireEvent.click(screen.getByText('暂不同意'));
    expect(screen.queryByText('同意并继续')).toBeNull();
    expect(screen.getByText('您还没有同意')).toBeTruthy();
    fireEvent.click(screen.getByText('阅读并同意隐私保护指引'));
    expect(screen.getByText('同意并继续')).toBeTruthy();
  });

  it('the settings page offers nothing to agree to once agreed', () => {
    session.set({ status: 'ready', me: me(), error: null });
    render(<SettingsPage />);
    expect(screen.queryByText('阅读并同意隐私保护指引')).toBeNull();
  });
});

describe('sensitive categories (PIPL Art. 29)', () => {
  const filled: WishDraft = {
    ...EMPTY_DRAFT,
    communityId: 5,
    category: 'health',
    title: '需要陪同透析',
    description: '每周三次透析，家里无人陪同。',
    beneficiaryName: '周桂芳',
    beneficiaryPhone: '13897009999',
    address: '6号楼1单元302',
    forWhom: 'self',
    agreed: true,
  };

  it('a health or hardship wish needs the separate consent; other categories do not', () => {
    expect(validateDraft(filled, false, false)).toEqual({ sensitiveConsent: '此类心愿需要单独同意处理敏感个人信息' });
    expect(validateDraft({ ...filled, category: 'hardship' }, false, false)).toEqual({ sensitiveConsent: '此类心愿需要单独同意处理敏感个人信息' });
    expect(validateDraft({ ...filled, category: 'repair' }, false, false)).toEqual({});
    expect(validateDraft({ ...filled, sensitiveConsent: true }, false, false)).toEqual({});
    expect(validateDraft({ ...filled, forWhom: null, beneficiaryPhone: '', consentMethod: 'verbal' }, true, false)).toEqual({ sensitiveConsent: '请确认已当面取得居民对敏感信息的单独同意' });
  });

  it('is sent with a sensitive wish only', () => {
    expect(toRequest({ ...filled, sensitiveConsent: true }, false)).toMatchObject({ category: 'health', forSelf: true, sensitiveConsent: true });
    expect(toRequest({ ...filled, category: 'repair', sensitiveConsent: true }, false)).not.toHaveProperty('sensitiveConsent');
  });

  it('a child under fourteen makes any wish sensitive (PIPL Arts. 28, 31): the guardian\'s consent is asked and sent with the flag', () => {
    const study: WishDraft = { ...filled, category: 'study', forWhom: 'other', consentMethod: 'written', beneficiaryMinor: true };
    expect(validateDraft(study, false, false)).toEqual({ sensitiveConsent: '涉及儿童的心愿需要监护人单独同意' });
    expect(validateDraft({ ...study, sensitiveConsent: true }, false, false)).toEqual({});
    expect(toRequest({ ...study, sensitiveConsent: true }, false)).toMatchObject({ category: 'study', beneficiaryMinor: true, sensitiveConsent: true, consentMethod: 'written' });
    // Not a child and not a sensitive category: neither flag is sent.
    const plain = toRequest({ ...study, beneficiaryMinor: false }, false);
    expect(plain).not.toHaveProperty('beneficiaryMinor');
    expect(plain).not.toHaveProperty('sensitiveConsent');
  });

  it('the form asks for it once a sensitive category is chosen; a grid worker confirms it was given in person', async () => {
    session.set({ status: 'ready', me: me(), error: null });
    mockApi({ 'GET /orgs': { body: [] } });
    const { unmount } = render(<WishForm onBehalf={false} draftKey="a" communities={[{ id: 5, name: '北小街社区' }]} onSubmitted={() => undefined} />);
    expect(screen.queryByText(/单独同意/)).toBeNull();
    fireEvent.click(await screen.findByText('医疗健康'));
    expect(screen.getByText(/^我单独同意：为办理此心愿，处理我的健康或家庭困难等敏感个人信息/)).toBeTruthy();
    unmount();
    render(<WishForm onBehalf draftKey="b" communities={[{ id: 5, name: '北小街社区' }]} onSubmitted={() => undefined} />);
    fireEvent.click(await screen.findByText('困难救助'));
    expect(screen.getByText(/^我已当面向居民说明/)).toBeTruthy();
  });
});

describe('bottom sheets and the page bottom clear the iPhone home indicator', () => {
  it.each([
    ['components/PrivacySheet/index.scss', '28px'],
    ['app.scss', '32px'],
  ])('%s pads with constant() and env(safe-area-inset-bottom)', (file, base) => {
    const css = readFileSync(join(__dirname, '..', file), 'utf8');
    const constant = css.indexOf(`padding-bottom: calc(${base} + constant(safe-area-inset-bottom));`);
    const env = css.indexOf(`padding-bottom: calc(${base} + env(safe-area-inset-bottom));`);
    expect(constant).toBeGreaterThan(-1);
    // env() after constant(), so browsers that know both use env().
    expect(env).toBeGreaterThan(constant);
  });
});

describe('the privacy page', () => {
  it("names the handler, its contact and the server's retention periods, and how to exercise each right", async () => {
    const calls = mockApi({
      'GET /privacy/notice': { body: { version: '2026-12-01', operator: { name: '人民街街道党工委', contact: '0971-8123456' }, retention: { closedWishDays: 90, endedRegistrationDays: 90, unattachedUploadHours: 12 } } },
    });
    render(<PrivacyPage />);
    // The page shows its defaults until the server's notice arrives: wait for the handler's name.
    await screen.findByText('个人信息处理者：人民街街道党工委。联系方式：0971-8123456。');
    const section = async (h: string) => (await screen.findByText(h)).parentElement!.textContent;
    expect(await section('谁在处理您的信息')).toContain('个人信息处理者：人民街街道党工委。联系方式：0971-8123456。');
    expect(await section('保存多久')).toContain('满90天后');
    expect(await section('保存多久')).toContain('12小时后删除');
    expect(await section('查阅和复制')).toContain('下载我的数据');
    expect(await section('更正')).toContain('0971-8123456');
    expect(await section('删除和撤回同意')).toContain('注销账号');
    expect(await section('投诉和咨询')).toContain('人民街街道党工委（0971-8123456）');
    expect(await section('敏感个人信息')).toContain('单独征得');
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /privacy/notice']);
    fireEvent.click(screen.getByText('注销账号 ›'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/subpackages/me/pages/delete-account/index' });
  });

  it('falls back to the community and the default periods when the server cannot be reached', async () => {
    mockApi({ 'GET /privacy/notice': new Error('request:fail') });
    render(<PrivacyPage />);
    await waitFor(() => expect(screen.queryByText('正在加载…')).toBeNull());
    expect(screen.getByText('谁在处理您的信息').parentElement!.textContent).toContain('您所在社区的党组织');
    expect(screen.getByText('保存多久').parentElement!.textContent).toContain('满180天后');
  });
});
