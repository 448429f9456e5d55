// H5's title bar (Taro's router draws it): its back and home buttons are named keyboard controls.
import { labelNavBar, NAV_BAR_ID } from './h5-nav-bar';

/** app.config.ts, read as Taro reads it at build time (defineAppConfig is a global there). */
function appWindow(): { navigationStyle?: string } {
  (globalThis as { defineAppConfig?: unknown }).defineAppConfig = (c: unknown) => c;
  return (jest.requireActual('../app.config') as { default: { window: { navigationStyle?: string } } }).default.window;
}

function taroBar(): HTMLElement {
  // The markup @tarojs/router 4.2.1 inserts (navigationBar.js).
  const bar = document.createElement('div');
  bar.id = NAV_BAR_ID;
  bar.innerHTML = '<div class="taro-navigation-bar-home"><svg></svg></div><div class="taro-navigation-bar-back"><svg></svg></div><div class="taro-navigation-bar-title-wrap"><div class="taro-navigation-bar-title">提交心愿</div></div>';
  document.body.prepend(bar);
  return bar;
}

afterEach(() => document.getElementById(NAV_BAR_ID)?.remove());

test("the app asks for the default bar: WeChat's own, and Taro's in H5", () => {
  expect(appWindow().navigationStyle).toBe('default');
});

test('names the back and home buttons and lets Enter and Space press them', () => {
  expect(labelNavBar()).toBe(false);
  const bar = taroBar();
  expect(labelNavBar()).toBe(true);
  const back = bar.querySelector<HTMLElement>('.taro-navigation-bar-back')!;
  const home = bar.querySelector<HTMLElement>('.taro-navigation-bar-home')!;
  expect([back.getAttribute('role'), back.getAttribute('aria-label'), back.tabIndex]).toEqual(['button', '返回', 0]);
  expect([home.getAttribute('role'), home.getAttribute('aria-label')]).toEqual(['button', '回到首页']);
  expect(back.querySelector('svg')!.getAttribute('aria-hidden')).toBe('true');
  const clicks = jest.fn();
  back.addEventListener('click', clicks);
  back.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
  back.dispatchEvent(new KeyboardEvent('keydown', { key: ' ' }));
  back.dispatchEvent(new KeyboardEvent('keydown', { key: 'a' }));
  expect(clicks).toHaveBeenCalledTimes(2);
  // Twice is once: no second listener.
  labelNavBar();
  back.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
  expect(clicks).toHaveBeenCalledTimes(3);
});
