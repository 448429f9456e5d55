import { useDidShow } from '@tarojs/taro';
import { useEffect, useRef } from 'react';

/**
 * Runs `load` when the component mounts and again each time its page is shown after that.
 * The first show is the mount's: in WeChat it follows the mount, but on H5 it can fire before
 * the component is there (a page shown before the login brought the component in), so the
 * mount loads and the first show never does.
 */
export function useOnShow(load: () => void, deps: readonly unknown[] = []): void {
  const shown = useRef(false);
  useEffect(load, deps);
  useDidShow(() => {
    if (shown.current) load();
    shown.current = true;
  });
}
