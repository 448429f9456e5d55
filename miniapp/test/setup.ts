import { __taro } from './stubs/taro';

beforeEach(() => {
  __taro.reset();
  process.env.TARO_ENV = 'h5';
});

// The H5 yes/no question lives on document.body, outside what Testing Library unmounts.
afterEach(() => {
  for (const d of Array.from(document.querySelectorAll('.xy-dialog'))) d.remove();
});
