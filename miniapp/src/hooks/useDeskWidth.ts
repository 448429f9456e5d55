// Desk width: the committee at a PC (a browser, or WeChat for PC) gets tables and side panels
// from 1024 px up; phones keep their one-column layout. CSS media queries draw the layout; this
// hook tells the components which markup to give (a table instead of cards).
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';

export const DESK_MIN_WIDTH = 1024;

function windowWidth(): number {
  if (typeof window !== 'undefined' && typeof window.innerWidth === 'number') return window.innerWidth;
  try {
    return Taro.getWindowInfo().windowWidth;
  } catch {
    return 0;
  }
}

/** Is the window desk-wide (≥ 1024 px)? Follows resizing (the browser's, WeChat for PC's). */
export function useDeskWidth(): boolean {
  const [wide, setWide] = useState(() => windowWidth() >= DESK_MIN_WIDTH);
  useEffect(() => {
    const update = () => setWide(windowWidth() >= DESK_MIN_WIDTH);
    if (typeof window !== 'undefined' && typeof window.addEventListener === 'function') {
      window.addEventListener('resize', update);
      return () => window.removeEventListener('resize', update);
    }
    const onResize = () => update();
    Taro.onWindowResize?.(onResize);
    return () => Taro.offWindowResize?.(onResize);
  }, []);
  return wide;
}
