import Taro from '@tarojs/taro';

/** Every page, so a moved page is one edit. */
export const ROUTES = {
  home: '/pages/index/index',
  submit: '/pages/wish/submit/index',
  mine: '/pages/wish/mine/index',
  detail: '/pages/wish/detail/index',
  complete: '/pages/wish/complete/index',
  wall: '/pages/wall/index',
  claims: '/pages/claims/index',
  gridSubmit: '/subpackages/grid/pages/submit/index',
  gridMine: '/subpackages/grid/pages/mine/index',
  register: '/subpackages/member/pages/register/index',
  inbox: '/subpackages/me/pages/inbox/index',
  settings: '/subpackages/me/pages/settings/index',
  privacy: '/subpackages/me/pages/privacy/index',
  accessLog: '/subpackages/me/pages/access-log/index',
  myData: '/subpackages/me/pages/my-data/index',
  deleteAccount: '/subpackages/me/pages/delete-account/index',
  /** The report form (举报 a wish or a photo) and the complaint form (投诉与建议): ?kind=wish|photo|complaint. */
  report: '/subpackages/me/pages/report/index',
  myReports: '/subpackages/me/pages/reports/index',
  deskReports: '/subpackages/committee/pages/reports/index',
  /** A wish on the committee's desk: rejections and the committee's cancellations (closure codes) are made there. */
  deskWish: '/subpackages/committee/pages/wish/index',
} as const;

export function go(url: string, params?: Record<string, string | number>): void {
  const qs = params ? Object.entries(params).map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`).join('&') : '';
  void Taro.navigateTo({ url: qs ? `${url}?${qs}` : url });
}

export function redirect(url: string, params?: Record<string, string | number>): void {
  const qs = params ? Object.entries(params).map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`).join('&') : '';
  void Taro.redirectTo({ url: qs ? `${url}?${qs}` : url });
}

export function back(): void {
  const pages = Taro.getCurrentPages();
  if (pages.length > 1) void Taro.navigateBack();
  else void Taro.reLaunch({ url: ROUTES.home });
}

export function toast(title: string, icon: 'success' | 'none' = 'none'): void {
  void Taro.showToast({ title, icon, duration: 2500 });
}

/** A yes/no question with big, plain buttons. */
export async function confirmDialog(title: string, content: string, confirmText = '确定'): Promise<boolean> {
  const r = await Taro.showModal({ title, content, confirmText, cancelText: '再想想', confirmColor: '#c8161d' });
  return r.confirm;
}
