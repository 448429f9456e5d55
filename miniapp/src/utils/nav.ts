import Taro from '@tarojs/taro';
import { PAGES, type PageName } from '@xinyuan/shared';
import { openConfirmDialog } from './dialog';
import { isWeapp } from './platform';

/**
 * Every page by name, with the leading slash navigateTo wants. The list lives in
 * @xinyuan/shared (pages.ts): app.config.ts and the server's notices read it too.
 */
export const ROUTES: { readonly [K in PageName]: string } = (() => {
  const out = {} as Record<PageName, string>;
  for (const name of Object.keys(PAGES) as PageName[]) out[name] = `/${PAGES[name]}`;
  return out;
})();

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
  const shown = Taro.showToast({ title, icon, duration: 2500 });
  // H5: Taro draws the toast as a bare div at the end of <body>, outside every landmark and
  // unannounced; as a status live region it is read out and counts as a region (axe "region").
  if (!isWeapp()) {
    markToasts();
    void Promise.resolve(shown).then(markToasts, () => undefined);
  }
}

function markToasts(): void {
  if (typeof document === 'undefined') return;
  for (const el of Array.from(document.querySelectorAll('.taro__toast'))) {
    el.setAttribute('role', 'status');
    el.setAttribute('aria-live', 'polite');
  }
}

/**
 * A yes/no question with big, plain buttons. WeChat: its own modal. H5: our alert dialog
 * (utils/dialog.ts), since Taro's H5 modal has no dialog role and no keyboard access.
 */
export async function confirmDialog(title: string, content: string, confirmText = '确定'): Promise<boolean> {
  const cancelText = '再想想';
  if (!isWeapp()) return openConfirmDialog({ title, content, confirmText, cancelText });
  const r = await Taro.showModal({ title, content, confirmText, cancelText, confirmColor: '#c8161d' });
  return r.confirm;
}

/** The path subscribe messages carried before the page list lived in @xinyuan/shared: cards already delivered still open it. */
const OLD_DETAIL_PATH = 'pages/wish/detail';

/**
 * Where to land when WeChat (or the H5 router) is asked for a page that does not exist:
 * an old notice card's wish detail path goes to that wish, anything else to the home page.
 */
export function landingFor(res: { path?: string; query?: Record<string, unknown> }): string {
  const path = (res.path ?? '').replace(/^\/+/, '').replace(/\.html$/, '');
  const id = res.query?.id;
  if (path === OLD_DETAIL_PATH && typeof id === 'string' && /^\d{1,12}$/.test(id)) return `${ROUTES.detail}?id=${id}`;
  return ROUTES.home;
}

/**
 * App-wide page-not-found handler. WeChat only honours a redirect made synchronously inside
 * the callback (onPageNotFound documentation), so it is registered with Taro.onPageNotFound
 * when the app script loads rather than through a React hook (which may run later). reLaunch:
 * a cold start from a notice has no page to go back to.
 */
export function listenForMissingPages(): void {
  Taro.onPageNotFound((res) => {
    void Taro.reLaunch({ url: landingFor(res as { path?: string; query?: Record<string, unknown> }) });
  });
}
