import { useLaunch } from '@tarojs/taro';
import type { PropsWithChildren } from 'react';
import { boot } from './stores/session';
import { privacyUi } from './stores/privacy';
import { listenForPrivacyRequests } from './services/privacy';
import './app.scss';

export default function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    listenForPrivacyRequests(() => privacyUi.set({ open: true }));
    void boot();
  });
  return children;
}
