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
/** The page's share handler (useShareAppMessage): tests ask it what card it would send. */
let shareHandler: ((res: { from: string; target?: unknown }) => unknown) | null = null;
export function useShareAppMessage(fn: (res: { from: string; target?: unknown }) => unknown) {
  shareHandler = fn;
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

type Cb = (r?: unknown) => void;
const recorderHandlers: Record<string, Cb> = {};
const recorder = {
  start: jest.fn(),
  stop: jest.fn(),
  onStop: (cb: Cb) => void (recorderHandlers.stop = cb),
  onError: (cb: Cb) => void (recorderHandlers.error = cb),
  onStart: (cb: Cb) => void (recorderHandlers.start = cb),
};
const audios: { src: string; play: jest.Mock; stop: jest.Mock; destroy: jest.Mock; onEnded: jest.Mock; onError: jest.Mock }[] = [];

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
  /** One recorder, as WeChat's: start/stop and the callbacks a test fires through __taro.recorder. */
  getRecorderManager: jest.fn(() => recorder),
  createInnerAudioContext: jest.fn(() => {
    const a = { src: '', play: jest.fn(), stop: jest.fn(), destroy: jest.fn(), onEnded: jest.fn(), onError: jest.fn() };
    audios.push(a);
    return a;
  }),
  compressImage: jest.fn(),
  getImageInfo: jest.fn(),
  previewImage: jest.fn(),
  makePhoneCall: jest.fn((_o: { phoneNumber: string }) => Promise.resolve()),
  showShareMenu: jest.fn(() => Promise.resolve()),
  hideShareMenu: jest.fn(() => Promise.resolve()),
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
  /** The recorder's calls, and its events fired as WeChat would. */
  recorder: { ...recorder, fire: (event: 'start' | 'stop' | 'error', r?: unknown) => recorderHandlers[event]?.(r) },
  audios,
  fsReadFileSync,
  share(res: { from: string; target?: unknown } = { from: 'menu' }) {
    return shareHandler ? shareHandler(res) : undefined;
  },
  setParams(p: Record<string, string>) {
    routerParams = p;
  },
  async fire(kind: keyof typeof hooks) {
    for (const h of Array.from(hooks[kind])) await h();
  },
  reset() {
    storage.clear();
    audios.length = 0;
    routerParams = {};
    shareHandler = null;
    Taro.showModal.mockImplementation(() => Promise.resolve({ confirm: true, cancel: false }));
    Taro.getCurrentPages.mockImplementation(() => [{}]);
    Taro.makePhoneCall.mockImplementation(() => Promise.resolve());
    for (const k of ['navigateTo', 'redirectTo', 'reLaunch', 'navigateBack'] as const) Taro[k].mockImplementation(() => Promise.resolve());
  },
};

export default Taro;
