import { View } from '@tarojs/components';
import type { ReactNode } from 'react';
import { useSettings } from '../../stores/settings';

/** Every page's outer box: carries large-text mode down to everything inside. */
export default function Screen({ children, className }: { children: ReactNode; className?: string }) {
  const { largeText } = useSettings();
  // H5: the page is one Tab stop (tabIndex 0), so a keyboard can scroll Taro's scrolling page container
  // with the arrow keys even where the page holds no control (axe: scrollable-region-focusable).
  const focus = process.env.TARO_ENV === 'weapp' ? {} : { tabIndex: 0 };
  return <View role="main" {...focus} className={['xy-page', largeText ? 'xy-page--large' : '', className ?? ''].filter(Boolean).join(' ')}>{children}</View>;
}
