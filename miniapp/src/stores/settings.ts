import Taro from '@tarojs/taro';
import { KEYS, load, save } from '../services/storage';
import { createStore, useStore } from './store';

export interface Settings {
  /** Larger type and touch targets everywhere (大字模式). */
  largeText: boolean;
}

/**
 * WeChat's own font size (我 → 设置 → 通用 → 字体大小), in px, from getAppBaseInfo().fontSizeSetting
 * (getSystemInfoSync on base libraries before 2.25.3). The standard size reads 16 on Android and
 * 17 on iOS, so 18 and above means the person chose a larger size.
 */
export const LARGE_FONT_SETTING = 18;

export function wechatFontIsLarge(): boolean {
  try {
    const info = (typeof Taro.getAppBaseInfo === 'function' ? Taro.getAppBaseInfo() : Taro.getSystemInfoSync()) as { fontSizeSetting?: number } | undefined;
    const size = Number(info?.fontSizeSetting);
    return Number.isFinite(size) && size >= LARGE_FONT_SETTING;
  } catch {
    return false;
  }
}

/** The person's own choice on the settings page wins; without one, follow WeChat's font size. */
export function initialLargeText(): boolean {
  const saved = load<boolean>(KEYS.largeText);
  return typeof saved === 'boolean' ? saved : wechatFontIsLarge();
}

export const settings = createStore<Settings>({ largeText: initialLargeText() });

/** The manual toggle: saved, so it wins over WeChat's font size from now on. */
export function setLargeText(on: boolean): void {
  save(KEYS.largeText, on);
  settings.set({ largeText: on });
}

export function useSettings(): Settings {
  return useStore(settings);
}
