import { useLaunch } from '@tarojs/taro';
import type { PropsWithChildren } from 'react';
import { boot } from './stores/session';
import { privacyUi } from './stores/privacy';
import { listenForPrivacyRequests } from './services/privacy';
import { listenForMissingPages } from './utils/nav';
import { labelNavBar } from './utils/h5-nav-bar';
import { isH5 } from './utils/platform';
import './app.scss';

// Registered as the app script loads: a missing page (an old notice card, a mistyped link) lands on home.
listenForMissingPages();

export default function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    listenForPrivacyRequests(() => privacyUi.set({ open: true }));
    if (isH5()) labelNavBar();
    void boot();
  });
  return children;
}
