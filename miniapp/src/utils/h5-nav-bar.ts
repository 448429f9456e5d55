// H5's title bar and back button. WeChat draws its own bar over every page; in a browser, Taro's
// router draws one when the app's window asks for navigationStyle 'default' (app.config.ts):
// the page config's navigationBarTitleText as the title, a back arrow when there is a page to go
// back to, a home button on a page opened directly. Its buttons are bare <div>s with an icon:
// here they get a role, a name, Tab and Enter/Space, like every other control of the app.

/** The bar Taro's router inserts before the app (id taro-navigation-bar). */
export const NAV_BAR_ID = 'taro-navigation-bar';

const BUTTONS: [className: string, label: string][] = [
  ['taro-navigation-bar-back', '返回'],
  ['taro-navigation-bar-home', '回到首页'],
];

/** Names the bar's back and home buttons and makes them keyboard controls; true when the bar was there. */
export function labelNavBar(doc: Document = document): boolean {
  const bar = doc.getElementById(NAV_BAR_ID);
  if (!bar) return false;
  bar.setAttribute('role', 'banner');
  for (const [cls, label] of BUTTONS) {
    const el = bar.getElementsByClassName(cls)[0] as HTMLElement | undefined;
    if (!el || el.getAttribute('role') === 'button') continue;
    el.setAttribute('role', 'button');
    el.setAttribute('aria-label', label);
    el.tabIndex = 0;
    el.querySelector('svg')?.setAttribute('aria-hidden', 'true');
    el.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' && e.key !== ' ') return;
      e.preventDefault();
      el.click();
    });
  }
  return true;
}
