import { __taro } from './stubs/taro';

beforeEach(() => {
  __taro.reset();
  process.env.TARO_ENV = 'h5';
});
