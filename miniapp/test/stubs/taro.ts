// A stand-in for @tarojs/taro in jsdom: storage in memory, every API a jest.fn
// that tests set up, and the page hooks wired to a registry tests can fire.
import { useEffect, useRef } from 'react';

type Handler = () => unknown;
const hooks: Record<'didShow' | 'pullDownRefresh' | 'reachBottom', Set<Handler>> = {
  didShow: new Set(),
  pullDownRefresh: new Set(),
  reachBottom: new Set(),
};

function pageHook(kind: keyof typeof hooks, runOnMount: boolean) {
  return (fn: Handler) => {
    const ref = useRef(fn);
    ref.current = fn;
    useEffect(() => {
      const h = () => ref.current();
      hooks[kind].add(h);
      if (runOnMount) h();
      return () => {
        hooks[kind].delete(h);
      };
    }, []);
  };
}

export const useDidShow = pageHook('didShow', true);
export const usePullDownRefresh = pageHook('pullDownRefresh', false);
export const useReachBottom = pageHook('reachBottom', false);
export function useLaunch(fn: Handler) {
  useEffect(() => {
    fn();
  }, []);
}
let routerParams: Record<string, string> = {};
export function useRouter() {
  return { params: routerParams, path: '' };
}

const storage = new Map<string, unknown>();
/** The mini-program's file system: only what the code reads back (error bodies of downloads). */
const fsReadFileSync = jest.fn((_path: string, _encoding?: string): string => {
  throw new Error('readFileSync:fail no such file');
});

const Taro = {
  ENV_TYPE: { WEAPP: 'WEAPP', WEB: 'WEB' },
  getEnv: () => 'WEB',
  request: jest.fn(),
  uploadFile: jest.fn(),
  downloadFile: jest.fn(),
  openDocument: jest.fn(),
  saveFile: jest.fn(),
  setClipboardData: jest.fn(),
  getFileSystemManager: jest.fn(() => ({ readFileSync: fsReadFileSync })),
  login: jest.fn(),
  chooseMedia: jest.fn(),
  compressImage: jest.fn(),
  getImageInfo: jest.fn(),
  previewImage: jest.fn(),
  makePhoneCall: jest.fn(() => Promise.resolve()),
  requestSubscribeMessage: jest.fn(),
  onPageNotFound: jest.fn(),
  openSetting: jest.fn(() => Promise.resolve({ authSetting: {} })),
  getAppBaseInfo: jest.fn((): { fontSizeSetting?: number } => ({})),
  showToast: jest.fn(),
  showModal: jest.fn(() => Promise.resolve({ confirm: true, cancel: false })),
  navigateTo: jest.fn(() => Promise.resolve()),
  redirectTo: jest.fn(() => Promise.resolve()),
  reLaunch: jest.fn(() => Promise.resolve()),
  navigateBack: jest.fn(() => Promise.resolve()),
  getCurrentPages: jest.fn(() => [{}]),
  stopPullDownRefresh: jest.fn(),
  getStorageSync: jest.fn((k: string) => (storage.has(k) ? storage.get(k) : '')),
  setStorageSync: jest.fn((k: string, v: unknown) => void storage.set(k, v)),
  removeStorageSync: jest.fn((k: string) => void storage.delete(k)),
  getSystemInfoSync: () => ({ windowWidth: 375, platform: 'devtools' }),
  nextTick: (fn: () => void) => setTimeout(fn, 0),
  pxTransform: (n: number) => `${n}px`,
};

/** Test controls: not part of Taro. */
export const __taro = {
  storage,
  fsReadFileSync,
  setParams(p: Record<string, string>) {
    routerParams = p;
  },
  async fire(kind: keyof typeof hooks) {
    for (const h of Array.from(hooks[kind])) await h();
  },
  reset() {
    storage.clear();
    routerParams = {};
    Taro.showModal.mockImplementation(() => Promise.resolve({ confirm: true, cancel: false }));
    Taro.getCurrentPages.mockImplementation(() => [{}]);
    Taro.makePhoneCall.mockImplementation(() => Promise.resolve());
    for (const k of ['navigateTo', 'redirectTo', 'reLaunch', 'navigateBack'] as const) Taro[k].mockImplementation(() => Promise.resolve());
  },
};

export default Taro;
