import { View } from '@tarojs/components';
import type { ReactNode } from 'react';
import { useSettings } from '../../stores/settings';

/** Every page's outer box: carries large-text mode down to everything inside. */
export default function Screen({ children, className }: { children: ReactNode; className?: string }) {
  const { largeText } = useSettings();
  return <View role="main" className={['xy-page', largeText ? 'xy-page--large' : '', className ?? ''].filter(Boolean).join(' ')}>{children}</View>;
}
