import { listenForPrivacyRequests, resolvePrivacy, wechatNeedsAgreement } from './privacy';

describe("WeChat's privacy agreement", () => {
  afterEach(() => {
    delete (globalThis as { wx?: unknown }).wx;
  });

  it('is skipped in H5', async () => {
    (globalThis as { wx?: unknown }).wx = { getPrivacySetting: jest.fn() };
    await expect(wechatNeedsAgreement()).resolves.toBe(false);
  });

  it('asks WeChat whether agreement is needed, and answers its request when the person agrees', async () => {
    process.env.TARO_ENV = 'weapp';
    let handler!: (resolve: (r: unknown) => void) => void;
    (globalThis as { wx?: unknown }).wx = {
      getPrivacySetting: ({ success }: { success: (r: unknown) => void }) => success({ needAuthorization: true }),
      onNeedPrivacyAuthorization: (cb: typeof handler) => (handler = cb),
    };
    await expect(wechatNeedsAgreement()).resolves.toBe(true);
    const show = jest.fn();
    listenForPrivacyRequests(show);
    const resolve = jest.fn();
    handler(resolve);
    expect(show).toHaveBeenCalled();
    resolvePrivacy(true, 'btn');
    expect(resolve).toHaveBeenCalledWith({ event: 'agree', buttonId: 'btn' });
  });
});
