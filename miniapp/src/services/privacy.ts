// WeChat's privacy agreement (用户隐私保护指引). In WeChat the platform itself
// must record that the person agreed before privacy APIs (choosing photos, the
// phone number) work; the server keeps its own record of the notice version.
// Everything here is guarded so H5 simply skips it.
import { isWeapp } from '../utils/platform';

interface WxPrivacy {
  getPrivacySetting?: (o: { success: (r: { needAuthorization: boolean; privacyContractName?: string }) => void; fail?: () => void }) => void;
  onNeedPrivacyAuthorization?: (cb: (resolve: (r: { event: 'agree' | 'disagree'; buttonId?: string }) => void) => void) => void;
  openPrivacyContract?: (o: { fail?: () => void }) => void;
}

declare const wx: WxPrivacy | undefined;

function wxPrivacy(): WxPrivacy | null {
  if (!isWeapp()) return null;
  // `wx` is a global of the WeChat runtime (not always reachable through globalThis there).
  return typeof wx !== 'undefined' ? wx : null;
}

/** Whether WeChat still needs the person to agree (false in H5 or on old base libraries). */
export function wechatNeedsAgreement(): Promise<boolean> {
  const wx = wxPrivacy();
  if (!wx?.getPrivacySetting) return Promise.resolve(false);
  return new Promise((resolve) => {
    wx.getPrivacySetting!({ success: (r) => resolve(!!r.needAuthorization), fail: () => resolve(false) });
  });
}

type Resolver = (r: { event: 'agree' | 'disagree'; buttonId?: string }) => void;
let pending: Resolver | null = null;
let onNeed: (() => void) | null = null;

/**
 * Called once at app start: when a privacy API needs agreement WeChat hands us
 * a resolver; the privacy sheet answers it through the agree button.
 */
export function listenForPrivacyRequests(show: () => void): void {
  onNeed = show;
  wxPrivacy()?.onNeedPrivacyAuthorization?.((resolve) => {
    pending = resolve;
    onNeed?.();
  });
}

/** The person agreed in our sheet (the button with open-type agreePrivacyAuthorization). */
export function resolvePrivacy(agreed: boolean, buttonId?: string): void {
  if (!pending) return;
  pending(agreed ? { event: 'agree', buttonId } : { event: 'disagree' });
  pending = null;
}

export function openWechatContract(): boolean {
  const wx = wxPrivacy();
  if (!wx?.openPrivacyContract) return false;
  wx.openPrivacyContract({});
  return true;
}
