import Taro from '@tarojs/taro';

/** Every key this app keeps on the device, in one place. */
export const KEYS = {
  token: 'xy.token',
  /** When the token stops working (ms since the epoch), from the login answer's expiresAt. */
  tokenExpiresAt: 'xy.tokenExpiresAt',
  /** Set by 退出登录 and 注销账号: no quiet login (not even wx.login) until the person taps to log in. */
  loggedOut: 'xy.loggedOut',
  /** Kept only to be removed: older builds logged the demo person in again from it. */
  devOpenid: 'xy.devOpenid',
  largeText: 'xy.largeText',
  wishDraft: 'xy.draft.wish',
  onBehalfDraft: 'xy.draft.onBehalf',
  proofDraft: 'xy.draft.proof',
  privacyShown: 'xy.privacyShown',
} as const;

export function load<T>(key: string): T | null {
  try {
    const v = Taro.getStorageSync(key) as T | '' | undefined;
    return v === '' || v === undefined ? null : (v as T);
  } catch {
    return null;
  }
}

export function save(key: string, value: unknown): void {
  try {
    Taro.setStorageSync(key, value);
  } catch {
    // Storage full or unavailable: the app still works, it only forgets.
  }
}

export function remove(key: string): void {
  try {
    Taro.removeStorageSync(key);
  } catch {
    /* nothing kept, nothing to remove */
  }
}
