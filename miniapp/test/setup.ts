import { __taro } from './stubs/taro';

/** The window's width (jsdom's default, 1024, is already desk width): phones unless a test sets a desk. */
export function setWindowWidth(px: number): void {
  Object.defineProperty(window, 'innerWidth', { value: px, configurable: true, writable: true });
}

beforeEach(() => {
  __taro.reset();
  process.env.TARO_ENV = 'h5';
  setWindowWidth(375);
});

// The H5 yes/no question lives on document.body, outside what Testing Library unmounts.
afterEach(() => {
  for (const d of Array.from(document.querySelectorAll('.xy-dialog'))) d.remove();
});
